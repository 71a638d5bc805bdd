# Frames client - Chidinma Okafor
# Download: one thread per frame, started in batches so the server is not hit
# with 5000 connections at once. GIF: frames opened in a process pool.
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'ChidinmaOkafor.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
BATCH_SIZE = 200


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
    # one thread per frame, but only BATCH_SIZE of them alive at the same time
    for first in range(0, FRAME_COUNT, BATCH_SIZE):
        last = min(first + BATCH_SIZE, FRAME_COUNT)
        batch = []
        for index in range(first, last):
            t = threading.Thread(target=receive_frame, args=(index,))
            t.start()
            batch.append(t)
        for t in batch:
            t.join()
    return time.time() - started


def open_frame(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    with Pool(os.cpu_count()) as pool:
        frames = pool.map(open_frame, range(FRAME_COUNT))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
