import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'LanNguyen.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOADERS = 25


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


class Downloader(threading.Thread):
    """Downloads the frames first, first + 1, ..., last - 1."""

    def __init__(self, first, last):
        super().__init__()
        self.first = first
        self.last = last
        self.done = 0

    def run(self):
        for index in range(self.first, self.last):
            receive_frame(index)
            self.done += 1


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    per_thread = FRAME_COUNT // DOWNLOADERS
    downloaders = []
    for n in range(DOWNLOADERS):
        first = n * per_thread
        # the last thread also takes the frames left over by the division
        last = FRAME_COUNT if n == DOWNLOADERS - 1 else first + per_thread
        downloaders.append(Downloader(first, last))
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
    total = sum(d.done for d in downloaders)
    if total != FRAME_COUNT:
        print(f'Warning: only {total} frames downloaded')
    return time.time() - started


def open_frame(path, mode):
    return Image.open(path).convert(mode)


def create_gif():
    started = time.time()
    jobs = [(f'frames/{index}.png', 'RGBA') for index in range(FRAME_COUNT)]
    with Pool(min(4, os.cpu_count())) as pool:
        frames = pool.starmap(open_frame, jobs)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
