import os
import queue
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'LucasFerreira.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
WORKERS = 16


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


def worker(q):
    while True:
        index = q.get()
        if index is None:
            q.task_done()
            break
        receive_frame(index)
        q.task_done()


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    q = queue.Queue()
    for index in range(FRAME_COUNT):
        q.put(index)
    threads = [threading.Thread(target=worker, args=(q,)) for _ in range(WORKERS)]
    for t in threads:
        q.put(None)  # one stop signal per thread
        t.start()
    q.join()
    for t in threads:
        t.join()
    return time.time() - started


def convert_frame(path):
    return Image.open(path).convert('RGBA')


def create_gif():
    started = time.time()
    paths = ['frames/%d.png' % index for index in range(FRAME_COUNT)]
    with Pool(cpu_count()) as pool:
        frames = pool.map(convert_frame, paths, chunksize=64)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
