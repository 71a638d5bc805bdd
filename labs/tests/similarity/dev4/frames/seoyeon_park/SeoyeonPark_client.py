"""
Seoyeon Park - frames client

Threads download the frames (ThreadPoolExecutor, one task per frame) and
a process pool decodes the PNGs before the GIF is written.
"""
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from multiprocessing import Pool

from PIL import Image

ADDR = '127.0.0.1:1234'
GIF_FILE = 'SeoyeonPark.gif'
BUF_SIZE = 1024
FRAME_COUNT = 5000
THREAD_LIMIT = 40
OUT_DIR = 'frames'


def fetch_frame(n):
    host, port = ADDR.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, int(port)))
        received = b''
        while True:
            chunk = sock.recv(BUF_SIZE)
            if not chunk:
                break
            received += chunk
    with open(f'{OUT_DIR}/{n}.png', 'wb') as fh:
        fh.write(received)
    return n


def get_frames():
    t0 = time.time()
    if not os.path.exists(OUT_DIR):
        os.mkdir(OUT_DIR)
        print(f'Made directory {OUT_DIR}/')
    print(f'Fetching {FRAME_COUNT} frames using {THREAD_LIMIT} threads')
    finished = 0
    with ThreadPoolExecutor(max_workers=THREAD_LIMIT) as tpe:
        tasks = [tpe.submit(fetch_frame, n) for n in range(FRAME_COUNT)]
        for task in as_completed(tasks):
            task.result()
            finished += 1
            if finished % 1000 == 0:
                print(f'  {finished}/{FRAME_COUNT} done')
    return time.time() - t0


def decode(n, directory):
    return Image.open(f'{directory}/{n}.png').convert('RGBA')


def make_gif():
    t0 = time.time()
    n_procs = os.cpu_count() or 1
    print(f'Decoding frames in {n_procs} processes')
    params = [(n, OUT_DIR) for n in range(FRAME_COUNT)]
    with Pool(processes=n_procs) as procs:
        images = procs.starmap(decode, params)
    print('Saving GIF')
    images[0].save(GIF_FILE, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {get_frames()}')
    print(f'GIF creation time: {make_gif()}')
