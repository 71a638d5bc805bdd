import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'TomasQuispe.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
WAVE = 50  # threads started before waiting for the oldest ones


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
    threads = []
    for index in range(FRAME_COUNT):
        t = threading.Thread(target=receive_frame, args=(index,), daemon=True)
        threads.append(t)
        t.start()
        # every WAVE threads wait for the last wave so we do not open 5000 sockets
        if len(threads) % WAVE == 0:
            for old in threads[-WAVE:]:
                old.join()
    for t in threads:
        t.join()
    return time.time() - started


def load_frame(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    with Pool(cpu_count()) as pool:
        frames = pool.map(load_frame, range(FRAME_COUNT))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
