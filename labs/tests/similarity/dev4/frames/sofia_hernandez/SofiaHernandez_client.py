import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'SofiaHernandez.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
limit = threading.BoundedSemaphore(64)


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    with limit, socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
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
    os.makedirs('frames', exist_ok=True)
    ts = [threading.Thread(target=receive_frame, args=(i,)) for i in range(FRAME_COUNT)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return time.time() - started


def rgba(i):
    return Image.open(f'frames/{i}.png').convert('RGBA')


def create_gif():
    started = time.time()
    with Pool() as p:
        frames = p.map(rgba, range(FRAME_COUNT))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
