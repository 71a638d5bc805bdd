import os
import socket
import time
from multiprocessing import Pool, cpu_count
from multiprocessing.pool import ThreadPool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'JonasLindqvist.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOAD_THREADS = 50


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    chunks = []
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            chunks.append(packet)
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(b''.join(chunks))


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    pool = ThreadPool(DOWNLOAD_THREADS)
    pool.map(receive_frame, range(FRAME_COUNT))
    pool.close()
    pool.join()
    return time.time() - started


def rgba_frame(index):
    # converting is the slow part, so it happens in the worker processes
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    pool = Pool(cpu_count())
    frames = pool.map(rgba_frame, range(FRAME_COUNT), chunksize=100)
    pool.close()
    pool.join()
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
