"""Concurrent frames client (Jaewon Park).

download: threads, GIF: frames decoded in worker processes and sent back
as raw RGBA bytes, the main process builds the Image objects again.
"""
import os
import socket
import threading
import time
import multiprocessing as mp

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'JaewonPark.gif'
CLIENT_BUFFER = 4096
FRAME_COUNT = 5000
BATCH = 64


def get_frame(i):
    host, port = SERVER_URL.split(':')
    buf = bytearray()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, int(port)))
        while True:
            part = sock.recv(CLIENT_BUFFER)
            if not part:
                break
            buf.extend(part)
    with open(os.path.join('frames', f'{i}.png'), 'wb') as fp:
        fp.write(buf)


def get_all_frames():
    t_start = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    workers = []
    for i in range(FRAME_COUNT):
        w = threading.Thread(target=get_frame, args=(i,), daemon=True)
        workers.append(w)
        w.start()
        # wait for the previous batch every BATCH threads, not too many sockets at once
        if len(workers) % BATCH == 0:
            for prev in workers[-BATCH:]:
                prev.join()
    for w in workers:
        w.join()
    return time.time() - t_start


def decode(path):
    img = Image.open(path).convert('RGBA')
    return img.mode, img.size, img.tobytes()


def create_gif():
    t_start = time.time()
    paths = [os.path.join('frames', f'{i}.png') for i in range(FRAME_COUNT)]
    n_proc = max(1, mp.cpu_count())
    with mp.Pool(n_proc) as pool:
        raw = pool.map(decode, paths, chunksize=len(paths) // (n_proc * 4) + 1)
    frames = [Image.frombytes(mode, size, data) for mode, size, data in raw]
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t_start


if __name__ == '__main__':
    print(f'Frames download time: {get_all_frames()}')
    print(f'GIF creation time: {create_gif()}')
