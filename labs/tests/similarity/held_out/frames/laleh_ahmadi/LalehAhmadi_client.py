"""Frames client, Laleh Ahmadi.

download: threads, started in groups
gif: the frames are converted by a multiprocessing pool
"""
import multiprocessing as mp
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'LalehAhmadi.gif'
CLIENT_BUFFER = 2048
FRAME_COUNT = 5000
GROUP = 100


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    parts = []
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        packet = s.recv(CLIENT_BUFFER)
        while packet:
            parts.append(packet)
            packet = s.recv(CLIENT_BUFFER)
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(b''.join(parts))


def get_all_frames():
    begin = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    for lo in range(0, FRAME_COUNT, GROUP):
        hi = min(lo + GROUP, FRAME_COUNT)
        group = []
        for i in range(lo, hi):
            th = threading.Thread(target=receive_frame, args=(i,))
            th.start()
            group.append(th)
        for th in group:
            th.join()
    return time.time() - begin


def to_rgba(path):
    image = Image.open(path)
    return image.convert('RGBA')


def create_gif():
    started = time.time()
    paths = [f'frames/{index}.png' for index in range(FRAME_COUNT)]
    processes = mp.cpu_count()
    pool = mp.Pool(processes)
    frames = list(pool.imap(to_rgba, paths, chunksize=len(paths) // processes // 8 + 1))
    pool.close()
    pool.join()
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {get_all_frames()}')
    print(f'GIF creation time: {create_gif()}')
