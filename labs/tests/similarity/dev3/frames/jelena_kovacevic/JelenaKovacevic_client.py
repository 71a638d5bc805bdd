"""Frames lab client.

Jelena Kovacevic

The download is done by a small Downloader object: THREADS threads share one
counter (protected by a lock) and each takes the next free frame index.
The GIF frames are converted in a process pool; the workers send back the raw
RGBA bytes and the main process rebuilds the images in the right order.
"""
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'JelenaKovacevic.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 24
FRAMES_DIR = 'frames'


def frame_path(index):
    return os.path.join(FRAMES_DIR, f'{index}.png')


def fetch(address):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect(address)
        chunks = []
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            chunks.append(packet)
    return b''.join(chunks)


class Downloader:
    def __init__(self, count, address):
        self.count = count
        self.address = address
        self.next_index = 0
        self.lock = threading.Lock()

    def take_index(self):
        with self.lock:
            if self.next_index >= self.count:
                return None
            index = self.next_index
            self.next_index += 1
            return index

    def work(self):
        while (index := self.take_index()) is not None:
            data = fetch(self.address)
            with open(frame_path(index), 'wb') as f:
                f.write(data)

    def run(self, thread_count):
        threads = [threading.Thread(target=self.work) for _ in range(thread_count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def rgba_frame(index):
    image = Image.open(frame_path(index)).convert('RGBA')
    return index, image.size, image.tobytes()


def download_frames():
    started = time.time()
    os.makedirs(FRAMES_DIR, exist_ok=True)
    ip, port = SERVER_URL.split(':')
    Downloader(FRAME_COUNT, (ip, int(port))).run(THREADS)
    return time.time() - started


def create_gif():
    started = time.time()
    frames = [None] * FRAME_COUNT
    with Pool(os.cpu_count()) as pool:
        for index, size, raw in pool.imap_unordered(rgba_frame, range(FRAME_COUNT), 64):
            frames[index] = Image.frombytes('RGBA', size, raw)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


def main():
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')


if __name__ == '__main__':
    main()
