import multiprocessing as mp
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'MateoVargas.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 12
FRAMES_DIR = 'frames'


def frame_path(index):
    return os.path.join(FRAMES_DIR, f'{index}.png')


def fetch(host, port):
    """Return the raw bytes of one PNG sent by the server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((host, port))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    return data


class Downloader:
    """Hands out frame numbers to worker threads, one at a time."""

    def __init__(self, host, port, total):
        self.host = host
        self.port = port
        self.total = total
        self.next_index = 0
        self.lock = threading.Lock()

    def take_index(self):
        with self.lock:
            if self.next_index >= self.total:
                return None
            index = self.next_index
            self.next_index += 1
            return index

    def work(self):
        while (index := self.take_index()) is not None:
            with open(frame_path(index), 'wb') as f:
                f.write(fetch(self.host, self.port))

    def run(self, thread_count):
        threads = [threading.Thread(target=self.work) for _ in range(thread_count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def to_rgba(index):
    with Image.open(frame_path(index)) as im:
        return im.convert('RGBA')


def build_gif(frames):
    first, *rest = frames
    first.save(FILE_NAME, format='GIF', append_images=rest,
               save_all=True, duration=500, loop=0)


def main():
    host, port = SERVER_URL.split(':')
    os.makedirs(FRAMES_DIR, exist_ok=True)

    started = time.time()
    Downloader(host, int(port), FRAME_COUNT).run(THREADS)
    print(f'Frames download time: {time.time() - started}')

    started = time.time()
    with mp.Pool(mp.cpu_count()) as pool:
        results = [pool.apply_async(to_rgba, (i,)) for i in range(FRAME_COUNT)]
        frames = [r.get() for r in results]
    build_gif(frames)
    print(f'GIF creation time: {time.time() - started}')


if __name__ == '__main__':
    main()
