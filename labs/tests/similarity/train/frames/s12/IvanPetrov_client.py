import os
import queue
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'IvanPetrov.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NUM_WORKERS = 20


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


def worker(tasks):
    while True:
        index = tasks.get()
        if index is None:
            tasks.task_done()
            break
        receive_frame(index)
        tasks.task_done()


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    tasks = queue.Queue()
    for index in range(FRAME_COUNT):
        tasks.put(index)
    workers = []
    for _ in range(NUM_WORKERS):
        tasks.put(None)  # stop signal, one per worker
        w = threading.Thread(target=worker, args=(tasks,))
        w.start()
        workers.append(w)
    tasks.join()
    for w in workers:
        w.join()
    return time.time() - started


def convert_frame(index):
    frame = Image.open(f'frames/{index}.png').convert('RGBA')
    return index, frame


def create_gif():
    started = time.time()
    results = []
    with Pool(cpu_count()) as pool:
        for index, frame in pool.imap_unordered(convert_frame, range(FRAME_COUNT)):
            results.append((index, frame))
    # imap_unordered gives them back in any order
    results.sort(key=lambda pair: pair[0])
    frames = [frame for _, frame in results]
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
