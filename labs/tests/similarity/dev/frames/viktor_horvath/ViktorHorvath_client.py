"""Faster frames client using worker threads and a process pool."""
import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

SRV_ADDRESS = '127.0.0.1:1234'
GIF_NAME = 'ViktorHorvath.gif'
BUFSIZE = 1024
NUM_FRAMES = 5000
THREAD_NUM = 8


def get_frame(num):
    host, port = SRV_ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        buf = b''
        while True:
            part = conn.recv(BUFSIZE)
            if not part:
                break
            buf += part
    with open(f'frames/{num}.png', 'wb') as fp:
        fp.write(buf)


def worker_job(offset, stride):
    # worker k gets frames k, k + stride, k + 2 * stride, ...
    for num in range(offset, NUM_FRAMES, stride):
        get_frame(num)


def fetch_everything():
    t_begin = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    workers = [threading.Thread(target=worker_job, args=(k, THREAD_NUM))
               for k in range(THREAD_NUM)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.time() - t_begin


def to_raw(num):
    with Image.open(f'frames/{num}.png') as img:
        converted = img.convert('RGBA')
    return converted.tobytes()


def make_gif():
    t_begin = time.time()
    n_proc = max(1, multiprocessing.cpu_count())
    procs = multiprocessing.Pool(n_proc)
    async_res = procs.map_async(to_raw, range(NUM_FRAMES))
    procs.close()
    procs.join()
    images = [Image.frombytes('RGBA', (10, 10), blob) for blob in async_res.get()]
    images[0].save(GIF_NAME, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t_begin


if __name__ == '__main__':
    print(f'Frames download time: {fetch_everything()}')
    print(f'GIF creation time: {make_gif()}')
