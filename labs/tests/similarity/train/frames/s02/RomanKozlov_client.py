import os
import queue
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

HOST_PORT = '127.0.0.1:1234'
OUTPUT_GIF = 'RomanKozlov.gif'
RECV_SIZE = 1024
N_FRAMES = 5000
THREADS_NUM = 20


def fetch_image(n):
    addr, prt = HOST_PORT.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((addr, int(prt)))
        buf = b''
        while True:
            piece = sock.recv(RECV_SIZE)
            if not piece:
                break
            buf += piece
    with open(f'frames/{n}.png', 'wb') as fh:
        fh.write(buf)


def loader(jobs):
    while True:
        n = jobs.get()
        if n is None:
            jobs.task_done()
            break
        fetch_image(n)
        jobs.task_done()


def get_all_images():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    jobs = queue.Queue()
    for n in range(N_FRAMES):
        jobs.put(n)
    pool_threads = []
    for _ in range(THREADS_NUM):
        jobs.put(None)
        th = threading.Thread(target=loader, args=(jobs,))
        th.start()
        pool_threads.append(th)
    jobs.join()
    for th in pool_threads:
        th.join()
    return time.time() - t0


def to_rgba(n):
    img = Image.open(f'frames/{n}.png').convert('RGBA')
    return n, img


def build_animation():
    t0 = time.time()
    collected = []
    with Pool(cpu_count()) as procs:
        for n, img in procs.imap_unordered(to_rgba, range(N_FRAMES)):
            collected.append((n, img))
    collected.sort(key=lambda item: item[0])
    images = [img for _, img in collected]
    images[0].save(OUTPUT_GIF, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {get_all_images()}')
    print(f'GIF creation time: {build_animation()}')
