import multiprocessing as mp
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'DiegoAlvarez.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
MAX_CONNECTIONS = 25

# at most MAX_CONNECTIONS threads talk to the server at the same time
limit = threading.BoundedSemaphore(MAX_CONNECTIONS)


def receive_frame(index):
    with limit:
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
    threads = [threading.Thread(target=receive_frame, args=(i,)) for i in range(FRAME_COUNT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.time() - started


def convert_worker(indices, results):
    for index in indices:
        img = Image.open(f'frames/{index}.png').convert('RGBA')
        results.put((index, img.size, img.tobytes()))


def create_gif():
    started = time.time()
    n = mp.cpu_count()
    results = mp.Queue()
    workers = []
    for k in range(n):
        p = mp.Process(target=convert_worker, args=(range(k, FRAME_COUNT, n), results))
        p.start()
        workers.append(p)
    frames = [None] * FRAME_COUNT
    for _ in range(FRAME_COUNT):
        index, size, raw = results.get()
        frames[index] = Image.frombytes('RGBA', size, raw)
    for p in workers:
        p.join()
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
