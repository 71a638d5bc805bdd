import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'SigridHaugen.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 40

next_index = 0
index_lock = threading.Lock()


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


def take_index():
    global next_index
    with index_lock:
        if next_index >= FRAME_COUNT:
            return None
        index = next_index
        next_index += 1
        return index


def download_worker():
    index = take_index()
    while index is not None:
        receive_frame(index)
        index = take_index()


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    threads = [threading.Thread(target=download_worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def create_gif():
    started = time.time()
    frames = []
    for index in range(FRAME_COUNT):
        frames.append(Image.open(f'frames/{index}.png').convert('RGBA'))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
