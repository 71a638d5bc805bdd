# Rodrigo Quispe - lab frames
# every frame gets its own thread, the gif frames are opened with a Pool
import os
import socket
import time
from multiprocessing import Pool
from threading import Thread

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'RodrigoQuispe.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000


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
        threads.append(Thread(target=receive_frame, args=(index,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def open_rgba(filename):
    return Image.open(filename).convert('RGBA')


def create_gif():
    started = time.time()
    names = []
    for index in range(FRAME_COUNT):
        names.append(f'frames/{index}.png')
    pool = Pool(processes=os.cpu_count())
    frames = pool.map(open_rgba, names)
    pool.close()
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
