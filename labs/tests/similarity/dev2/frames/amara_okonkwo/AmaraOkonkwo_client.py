"""Frames client - Amara Okonkwo

The download is split into NUM_THREADS contiguous chunks of indices, one
thread per chunk. The frames for the GIF are opened and converted in a
process pool (one process per core).
"""
import math
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'AmaraOkonkwo.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NUM_THREADS = 20
NUM_PROCESSES = os.cpu_count() or 2


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


def receive_chunk(first, last):
    for index in range(first, last):
        receive_frame(index)


def split_range(total, parts):
    """Cut range(total) into at most `parts` (start, stop) pairs."""
    size = max(1, math.ceil(total / parts))
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    workers = [threading.Thread(target=receive_chunk, args=bounds)
               for bounds in split_range(FRAME_COUNT, NUM_THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.time() - started


def open_frame(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    with Pool(processes=NUM_PROCESSES) as pool:
        frames = list(pool.imap(open_frame, range(FRAME_COUNT), chunksize=100))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
