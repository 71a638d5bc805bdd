"""Rafael Moreira - lab 2 client.

Threads get one block of consecutive frame numbers each; a pool of
processes reads the PNG files back before the GIF is written.
"""
import math
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

HOST_ADDR = '127.0.0.1:1234'
OUTPUT_GIF = 'RafaelMoreira.gif'
RECV_SIZE = 1024
FRAME_COUNT = 5000
THREAD_TOTAL = 20
PROC_TOTAL = os.cpu_count() or 2


def grab_image(n):
    host, port_str = HOST_ADDR.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port_str)))
        payload = b''
        while True:
            piece = conn.recv(RECV_SIZE)
            if not piece:
                break
            payload += piece
    with open(f'frames/{n}.png', 'wb') as out:
        out.write(payload)


def grab_block(lo, hi):
    for n in range(lo, hi):
        grab_image(n)


def make_slices(count, pieces):
    # (begin, end) pairs covering 0..count
    step = max(1, math.ceil(count / pieces))
    return [(begin, min(begin + step, count)) for begin in range(0, count, step)]


def fetch_all():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    pool_threads = [threading.Thread(target=grab_block, args=span)
                    for span in make_slices(FRAME_COUNT, THREAD_TOTAL)]
    for th in pool_threads:
        th.start()
    for th in pool_threads:
        th.join()
    return time.time() - t0


def read_png(n):
    return Image.open(f'frames/{n}.png').convert('RGBA')


def build_animation():
    t0 = time.time()
    with Pool(processes=PROC_TOTAL) as procs:
        images = list(procs.imap(read_png, range(FRAME_COUNT), chunksize=100))
    images[0].save(OUTPUT_GIF, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {fetch_all()}')
    print(f'GIF creation time: {build_animation()}')
