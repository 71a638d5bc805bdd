import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'YukiTanaka.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
FRAMES_DIR = 'frames'
THREAD_COUNT = 16


def timed(func):
    """Run func and return how many seconds it took instead of its result."""
    def wrapper(*args, **kwargs):
        start = time.time()
        func(*args, **kwargs)
        return time.time() - start
    return wrapper


def frame_path(index, folder=FRAMES_DIR):
    return os.path.join(folder, f'{index}.png')


def read_all(sock):
    parts = []
    while True:
        packet = sock.recv(CLIENT_BUFFER)
        if not packet:
            break
        parts.append(packet)
    return b''.join(parts)


class FrameClient:
    """Downloads frames with a fixed number of threads sharing one counter."""

    def __init__(self, url, count):
        host, port = url.split(':')
        self.address = (host, int(port))
        self.count = count
        self.next_index = 0
        self.lock = threading.Lock()

    def _take_index(self):
        with self.lock:
            if self.next_index >= self.count:
                return None
            index = self.next_index
            self.next_index += 1
            return index

    def _fetch(self, index):
        with socket.create_connection(self.address) as sock:
            data = read_all(sock)
        with open(frame_path(index), 'wb') as f:
            f.write(data)

    def _work(self):
        while (index := self._take_index()) is not None:
            self._fetch(index)

    @timed
    def download(self, threads=THREAD_COUNT):
        os.makedirs(FRAMES_DIR, exist_ok=True)
        workers = [threading.Thread(target=self._work) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()


def load_rgba(index, folder):
    with Image.open(frame_path(index, folder)) as img:
        return img.convert('RGBA')


@timed
def create_gif(count=FRAME_COUNT, out=FILE_NAME):
    jobs = [(i, FRAMES_DIR) for i in range(count)]
    with Pool(min(cpu_count(), 4)) as pool:
        frames = pool.starmap(load_rgba, jobs)
    first, *rest = frames
    first.save(out, format='GIF', append_images=rest, save_all=True, duration=500, loop=0)


def main():
    client = FrameClient(SERVER_URL, FRAME_COUNT)
    print(f'Frames download time: {client.download()}')
    print(f'GIF creation time: {create_gif()}')


if __name__ == '__main__':
    main()
