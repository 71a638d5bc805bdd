import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'NameSurname.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOADERS = 25


class Downloader(threading.Thread):
    """Downloads the frames start, start + step, start + 2 * step, ..."""

    def __init__(self, start, step):
        super().__init__()
        self.first = start
        self.step = step
        self.count = 0

    def run(self):
        for index in range(self.first, FRAME_COUNT, self.step):
            receive_frame(index)
            self.count += 1


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


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    downloaders = [Downloader(i, DOWNLOADERS) for i in range(DOWNLOADERS)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
    total = sum(d.count for d in downloaders)
    if total != FRAME_COUNT:
        print(f'Warning: only {total} frames downloaded')
    return time.time() - started


def load(index):
    return index, Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    frames = [None] * FRAME_COUNT
    with multiprocessing.Pool(multiprocessing.cpu_count()) as pool:
        for index, frame in pool.imap_unordered(load, range(FRAME_COUNT), chunksize=20):
            frames[index] = frame
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
