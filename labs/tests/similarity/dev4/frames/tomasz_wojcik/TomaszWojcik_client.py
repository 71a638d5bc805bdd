import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'TomaszWojcik.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
FRAMES_DIR = 'frames'


def frame_path(index):
    return os.path.join(FRAMES_DIR, f'{index}.png')


def fetch(host, port):
    """Read one whole PNG from the server."""
    parts = []
    with socket.create_connection((host, port)) as conn:
        while True:
            packet = conn.recv(CLIENT_BUFFER)
            if not packet:
                break
            parts.append(packet)
    return b''.join(parts)


class FrameClient:
    """A fixed number of threads pull frame numbers from a shared counter."""

    def __init__(self, url, count, threads=32):
        host, port = url.split(':')
        self.address = (host, int(port))
        self.count = count
        self.threads = threads
        self.next_index = 0
        self.lock = threading.Lock()

    def _take_index(self):
        with self.lock:
            if self.next_index >= self.count:
                return None
            index = self.next_index
            self.next_index += 1
            return index

    def _work(self):
        while (index := self._take_index()) is not None:
            data = fetch(*self.address)
            with open(frame_path(index), 'wb') as f:
                f.write(data)

    def download(self):
        os.makedirs(FRAMES_DIR, exist_ok=True)
        workers = [threading.Thread(target=self._work) for _ in range(self.threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()


def decode(index):
    # only raw pixels go back to the parent, pickling them is cheap
    image = Image.open(frame_path(index)).convert('RGBA')
    return image.size, image.tobytes()


def build_gif(count, file_name):
    with Pool(os.cpu_count()) as pool:
        decoded = pool.map(decode, range(count), chunksize=250)
    frames = [Image.frombytes('RGBA', size, raw) for size, raw in decoded]
    frames[0].save(file_name, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)


def timed(func, *args):
    started = time.time()
    func(*args)
    return time.time() - started


def main():
    client = FrameClient(SERVER_URL, FRAME_COUNT)
    print(f'Frames download time: {timed(client.download)}')
    print(f'GIF creation time: {timed(build_gif, FRAME_COUNT, FILE_NAME)}')


if __name__ == '__main__':
    main()
