import os
import socket
import threading
import time
from multiprocessing import Pool
from pathlib import Path

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'NataliaPopova.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000

FRAMES_DIR = Path('frames')
THREAD_COUNT = 12


def frame_path(index):
    return FRAMES_DIR / f'{index}.png'


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
    def __init__(self, url, count):
        host, port = url.split(':')
        self.host = host
        self.port = int(port)
        self.count = count
        self.lock = threading.Lock()
        self.pending = iter(range(count))

    def next_index(self):
        with self.lock:
            return next(self.pending, None)

    def work(self):
        while (index := self.next_index()) is not None:
            frame_path(index).write_bytes(fetch(self.host, self.port))

    def download(self, thread_count):
        FRAMES_DIR.mkdir(exist_ok=True)
        threads = [threading.Thread(target=self.work) for _ in range(thread_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def to_rgba(index):
    with Image.open(frame_path(index)) as image:
        return image.convert('RGBA')


def build_gif(count, target):
    with Pool(min(os.cpu_count() or 1, 4)) as pool:
        frames = pool.map(to_rgba, range(count), chunksize=64)
    first, rest = frames[0], frames[1:]
    first.save(target, format='GIF', append_images=rest,
               save_all=True, duration=500, loop=0)


def timed(action, *args):
    started = time.time()
    action(*args)
    return time.time() - started


def main():
    client = FrameClient(SERVER_URL, FRAME_COUNT)
    print(f'Frames download time: {timed(client.download, THREAD_COUNT)}')
    print(f'GIF creation time: {timed(build_gif, FRAME_COUNT, FILE_NAME)}')


if __name__ == '__main__':
    main()
