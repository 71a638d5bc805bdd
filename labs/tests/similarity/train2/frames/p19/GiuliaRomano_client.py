# Giulia Romano - frames client (lab 2)
# download: worker threads, GIF: a pool of processes decodes the PNGs
import io
import os
import queue
import socket
import threading
import time
import multiprocessing

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'GiuliaRomano.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREAD_COUNT = 30


def get_frame(i):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'frames/{i}.png', 'wb') as f:
        f.write(data)


def fetch_everything():
    t_start = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')

    pending = queue.Queue()
    for i in range(FRAME_COUNT):
        pending.put(i)

    def fetcher():
        while True:
            try:
                i = pending.get_nowait()
            except queue.Empty:
                return
            try:
                get_frame(i)
            except OSError as err:
                print(f'Frame {i} failed: {err}')

    crew = [threading.Thread(target=fetcher) for _ in range(THREAD_COUNT)]
    for th in crew:
        th.start()
    for th in crew:
        th.join()
    return time.time() - t_start


def decode(raw_png):
    return Image.open(io.BytesIO(raw_png)).convert('RGBA')


def read_raw(i):
    with open(f'frames/{i}.png', 'rb') as f:
        return f.read()


def make_gif():
    t_start = time.time()
    raws = [read_raw(i) for i in range(FRAME_COUNT)]
    n_proc = min(4, multiprocessing.cpu_count())
    with multiprocessing.Pool(n_proc) as pool:
        images = list(pool.imap(decode, raws, chunksize=25))
    first = images.pop(0)
    first.save(FILE_NAME, format='GIF', append_images=images,
               save_all=True, duration=500, loop=0)
    return time.time() - t_start


if __name__ == '__main__':
    print(f'Frames download time: {fetch_everything()}')
    print(f'GIF creation time: {make_gif()}')
