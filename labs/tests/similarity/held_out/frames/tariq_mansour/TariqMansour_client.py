import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

HOST_PORT = '127.0.0.1:1234'
OUTPUT = 'TariqMansour.gif'
BUFSIZE = 1024
FRAME_COUNT = 5000
THREAD_TOTAL = 25


def grab(num):
    addr, prt = HOST_PORT.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sck:
        sck.connect((addr, int(prt)))
        raw = b''
        while True:
            part = sck.recv(BUFSIZE)
            if not part:
                break
            raw += part
    with open(f'frames/{num}.png', 'wb') as fp:
        fp.write(raw)


class FrameFetcher(threading.Thread):

    def __init__(self, start_at, end_at):
        super().__init__()
        self.start_at = start_at
        self.end_at = end_at
        self.count = 0

    def run(self):
        for num in range(self.start_at, self.end_at):
            grab(num)
            self.count += 1


def fetch_frames():
    t_begin = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    share = FRAME_COUNT // THREAD_TOTAL
    fetchers = []
    for k in range(THREAD_TOTAL):
        start_at = k * share
        end_at = FRAME_COUNT if k == THREAD_TOTAL - 1 else start_at + share
        fetchers.append(FrameFetcher(start_at, end_at))
    for ff in fetchers:
        ff.start()
    for ff in fetchers:
        ff.join()
    got = sum(ff.count for ff in fetchers)
    if got != FRAME_COUNT:
        print(f'Missing frames: got {got}')
    return time.time() - t_begin


def read_png(filename, colour_mode):
    return Image.open(filename).convert(colour_mode)


def build_gif():
    t_begin = time.time()
    tasks = [(f'frames/{num}.png', 'RGBA') for num in range(FRAME_COUNT)]
    with Pool(min(4, os.cpu_count())) as workers:
        images = workers.starmap(read_png, tasks)
    images[0].save(OUTPUT, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t_begin


if __name__ == '__main__':
    print(f'Frames download time: {fetch_frames()}')
    print(f'GIF creation time: {build_gif()}')
