import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'RaviKapoor.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NUM_WORKERS = 40


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

    tasks = queue.Queue()
    for index in range(FRAME_COUNT):
        tasks.put(index)

    def worker():
        while True:
            try:
                index = tasks.get_nowait()
            except queue.Empty:
                return
            try:
                receive_frame(index)
            except OSError as error:
                print(f'Frame {index} failed: {error}')

    workers = [threading.Thread(target=worker) for _ in range(NUM_WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.time() - started


def convert(index):
    with Image.open(f'frames/{index}.png') as im:
        return im.convert('RGBA')


def create_gif():
    started = time.time()
    with Pool(os.cpu_count()) as pool:
        frames = pool.map(convert, range(FRAME_COUNT))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
