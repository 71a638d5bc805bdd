"""Frames client: ThreadPoolExecutor for the download, a process pool for the GIF."""
import concurrent.futures
import math
import multiprocessing
import os
import socket
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'YuliaSokolova.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOAD_THREADS = 64


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    data = bytearray()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data.extend(packet)
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    with concurrent.futures.ThreadPoolExecutor(DOWNLOAD_THREADS) as pool:
        futures = []
        for index in range(FRAME_COUNT):
            futures.append(pool.submit(receive_frame, index))
        done, not_done = concurrent.futures.wait(futures)
    for future in done:
        if future.exception() is not None:
            print(f'Download failed: {future.exception()}')
    return time.time() - started


def rgba_frame(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    workers = multiprocessing.cpu_count()
    chunk = math.ceil(FRAME_COUNT / (workers * 4))
    with multiprocessing.Pool(workers) as pool:
        frames = pool.map(rgba_frame, range(FRAME_COUNT), chunksize=chunk)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
