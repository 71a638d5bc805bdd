"""Frames client, faster version: threads for the download, a pool for the GIF."""
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'LucasFontaine.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NB_THREADS = 10


class FrameDownloader(threading.Thread):
    def __init__(self, first, step):
        threading.Thread.__init__(self)
        self.first = first
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
    downloaders = [FrameDownloader(i, NB_THREADS) for i in range(NB_THREADS)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
    total = sum(d.count for d in downloaders)
    assert total == FRAME_COUNT, 'some frames are missing'
    return time.time() - started


def load_frame(index, mode):
    return Image.open(f'frames/{index}.png').convert(mode)


def create_gif():
    started = time.time()
    with Pool(processes=min(4, os.cpu_count())) as pool:
        frames = pool.starmap(load_frame, [(index, 'RGBA') for index in range(FRAME_COUNT)])
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
