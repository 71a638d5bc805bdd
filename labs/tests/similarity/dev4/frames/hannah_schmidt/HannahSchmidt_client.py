"""Frames client (Hannah Schmidt).

Downloads FRAME_COUNT frames from the frame server into frames/ and makes
an animated GIF out of them.

Download: the frame indices are split into THREADS blocks and every block
is fetched by its own thread. A failed connection is retried a few times.
GIF: the PNG files are decoded in a process pool, one process per core.
"""
import os
import socket
import threading
import time
import multiprocessing as mp

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'HannahSchmidt.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 16
RETRIES = 3


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


def get_block(block):
    """Download every frame of one block, retrying on connection errors."""
    for index in block:
        for attempt in range(RETRIES):
            try:
                receive_frame(index)
                break
            except ConnectionError as error:
                print(f'frame {index}: attempt {attempt + 1} failed ({error})')
                time.sleep(0.05)
        else:
            raise RuntimeError(f'could not download frame {index}')


def download_frames():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    per_thread = (FRAME_COUNT + THREADS - 1) // THREADS
    pool = []
    for n in range(THREADS):
        block = range(n * per_thread, min((n + 1) * per_thread, FRAME_COUNT))
        th = threading.Thread(target=get_block, args=(block,))
        pool.append(th)
        th.start()
    for th in pool:
        th.join()
    return time.time() - t0


def missing_frames():
    """Indices whose file is missing or empty (should be none)."""
    missing = []
    for index in range(FRAME_COUNT):
        path = f'frames/{index}.png'
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            missing.append(index)
    return missing


def decode_frame(path):
    with Image.open(path) as picture:
        return picture.convert('RGBA')


def create_gif():
    t0 = time.time()
    paths = [f'frames/{index}.png' for index in range(FRAME_COUNT)]
    cores = mp.cpu_count()
    with mp.Pool(cores) as workers:
        frames = workers.map(decode_frame, paths, chunksize=len(paths) // (cores * 4) + 1)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    lost = missing_frames()
    if lost:
        print(f'Missing frames: {lost[:10]} ...')
    print(f'GIF creation time: {create_gif()}')
