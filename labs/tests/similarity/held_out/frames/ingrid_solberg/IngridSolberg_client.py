"""Frames client - Ingrid Solberg

Downloads FRAME_COUNT frames with a few worker threads that each take the
next free index from a shared counter, then decodes the frames in a process
pool and writes the GIF.
"""
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'IngridSolberg.gif'
FRAME_DIR = 'frames'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREAD_COUNT = 16


def server_address():
    ip, port = SERVER_URL.split(':')
    return ip, int(port)


def frame_path(index):
    return os.path.join(FRAME_DIR, f'{index}.png')


def fetch(address):
    chunks = []
    with socket.create_connection(address) as s:
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            chunks.append(packet)
    return b''.join(chunks)


def save(index, data):
    with open(frame_path(index), 'wb') as f:
        f.write(data)


class Counter:
    """Hands out 0, 1, 2, ... limit - 1 to any number of threads."""

    def __init__(self, limit):
        self.limit = limit
        self.value = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            if self.value >= self.limit:
                return None
            self.value += 1
            return self.value - 1


def worker(counter, address):
    while True:
        index = counter.next()
        if index is None:
            break
        save(index, fetch(address))


def download_frames():
    os.makedirs(FRAME_DIR, exist_ok=True)
    counter = Counter(FRAME_COUNT)
    address = server_address()
    threads = [threading.Thread(target=worker, args=(counter, address))
               for _ in range(THREAD_COUNT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def decode(index):
    return Image.open(frame_path(index)).convert('RGBA')


def create_gif():
    with Pool(os.cpu_count()) as pool:
        frames = list(pool.imap(decode, range(FRAME_COUNT), chunksize=64))
    first, rest = frames[0], frames[1:]
    first.save(FILE_NAME, format='GIF', append_images=rest,
               save_all=True, duration=500, loop=0)


def timed(func):
    started = time.time()
    func()
    return time.time() - started


def main():
    print(f'Frames download time: {timed(download_frames)}')
    print(f'GIF creation time: {timed(create_gif)}')


if __name__ == '__main__':
    main()
