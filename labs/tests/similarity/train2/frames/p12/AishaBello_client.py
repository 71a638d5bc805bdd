import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

ADDRESS = '127.0.0.1:1234'
GIF_PATH = 'AishaBello.gif'
CHUNK = 1024
FRAME_COUNT = 5000
WORKERS = os.cpu_count() or 2


def fetch_one(n):
    host, port_str = ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, int(port_str)))
        content = b''
        while True:
            piece = sock.recv(CHUNK)
            if not piece:
                break
            content += piece
    with open(f'frames/{n}.png', 'wb') as out:
        out.write(content)


def get_all_frames():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    jobs = []
    for n in range(FRAME_COUNT):
        job = threading.Thread(target=fetch_one, args=(n,))
        job.start()
        jobs.append(job)
    for job in jobs:
        job.join()
    return time.time() - t0


def open_rgba(n):
    return Image.open(f'frames/{n}.png').convert('RGBA')


def build_gif():
    t0 = time.time()
    with Pool(WORKERS) as p:
        images = p.map(open_rgba, range(FRAME_COUNT))
    images[0].save(GIF_PATH, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {get_all_frames()}')
    print(f'GIF creation time: {build_gif()}')
