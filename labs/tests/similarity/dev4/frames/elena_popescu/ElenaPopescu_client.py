import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_ADDRESS = '127.0.0.1:1234'
GIF_NAME = 'ElenaPopescu.gif'
CHUNK = 1024
FRAME_COUNT = 5000
GROUP = 50


def get_image(num):
    host, port_str = SERVER_ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, int(port_str)))
        content = b''
        while True:
            piece = sock.recv(CHUNK)
            if not piece:
                break
            content += piece
    with open(f'frames/{num}.png', 'wb') as out_file:
        out_file.write(content)


def fetch_all_images():
    t_start = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    # start the threads in groups so there are never too many running
    for start_idx in range(0, FRAME_COUNT, GROUP):
        group_threads = []
        for num in range(start_idx, min(start_idx + GROUP, FRAME_COUNT)):
            th = threading.Thread(target=get_image, args=(num,))
            th.start()
            group_threads.append(th)
        for th in group_threads:
            th.join()
    return time.time() - t_start


def open_image(num):
    return Image.open(f'frames/{num}.png').convert('RGBA')


def make_animation():
    t_start = time.time()
    with Pool(os.cpu_count()) as workers:
        images = workers.map(open_image, range(FRAME_COUNT))
    images[0].save(GIF_NAME, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t_start


if __name__ == '__main__':
    print(f'Frames download time: {fetch_all_images()}')
    print(f'GIF creation time: {make_animation()}')
