"""Frames client: download with threads, GIF frames prepared with processes."""
import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'SelinAydin.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
N_THREADS = 8


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


def download_part(part, parts):
    # thread number `part` takes every `parts`-th frame
    for index in range(part, FRAME_COUNT, parts):
        receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    threads = [threading.Thread(target=download_part, args=(i, N_THREADS))
               for i in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.time() - started


def prepare(index):
    with Image.open(f'frames/{index}.png') as image:
        rgba = image.convert('RGBA')
    return rgba.tobytes()


def create_gif():
    started = time.time()
    workers = max(1, multiprocessing.cpu_count())
    pool = multiprocessing.Pool(workers)
    result = pool.map_async(prepare, range(FRAME_COUNT))
    pool.close()
    pool.join()
    frames = [Image.frombytes('RGBA', (10, 10), raw) for raw in result.get()]
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
