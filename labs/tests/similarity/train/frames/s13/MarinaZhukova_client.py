import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

ADDRESS = '127.0.0.1:1234'
GIF_PATH = 'MarinaZhukova.gif'
BUF_SIZE = 1024
TOTAL_FRAMES = 5000
THREAD_LIMIT = 100


def get_frame(num):
    host, port_str = ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port_str)))
        content = b''
        while True:
            chunk = conn.recv(BUF_SIZE)
            if not chunk:
                break
            content += chunk
    with open(f'frames/{num}.png', 'wb') as out:
        out.write(content)


def fetch_all():
    start_time = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    # start a thread for each picture, wait for the batch when the limit is reached
    workers = []
    for num in range(TOTAL_FRAMES):
        worker = threading.Thread(target=get_frame, args=(num,))
        worker.start()
        workers.append(worker)
        if len(workers) == THREAD_LIMIT:
            for w in workers:
                w.join()
            workers = []
    for w in workers:
        w.join()
    return time.time() - start_time


def open_picture(num):
    return Image.open(f'frames/{num}.png').convert('RGBA')


def make_gif():
    start_time = time.time()
    # the processes read the pngs in parallel
    with Pool(os.cpu_count()) as p:
        pictures = p.map(open_picture, range(TOTAL_FRAMES))
    pictures[0].save(GIF_PATH, format='GIF', append_images=pictures[1:],
                     save_all=True, duration=500, loop=0)
    return time.time() - start_time


if __name__ == '__main__':
    print(f'Frames download time: {fetch_all()}')
    print(f'GIF creation time: {make_gif()}')
