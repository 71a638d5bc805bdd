import os
import socket
import threading
import time
import multiprocessing

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'KofiBoateng.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
BATCH_SIZE = 100


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
    indices = list(range(FRAME_COUNT))
    for batch_start in range(0, FRAME_COUNT, BATCH_SIZE):
        batch = [threading.Thread(target=receive_frame, args=(i,))
                 for i in indices[batch_start:batch_start + BATCH_SIZE]]
        for t in batch:
            t.start()
        for t in batch:
            t.join()
    return time.time() - started


def open_as_rgba(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    pool = multiprocessing.Pool(multiprocessing.cpu_count())
    result = pool.map_async(open_as_rgba, range(FRAME_COUNT))
    pool.close()
    frames = result.get()
    pool.join()
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
