import multiprocessing
import os
import queue
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'AigerimBekova.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
WORKERS = 16


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
    tasks = queue.Queue()
    for index in range(FRAME_COUNT):
        tasks.put(index)

    def worker():
        while True:
            try:
                index = tasks.get_nowait()
            except queue.Empty:
                return
            receive_frame(index)
            tasks.task_done()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def convert(index):
    frame = Image.open(f'frames/{index}.png').convert('RGBA')
    return index, frame


def create_gif():
    started = time.time()
    frames = [None] * FRAME_COUNT
    with multiprocessing.Pool(processes=multiprocessing.cpu_count()) as pool:
        for index, frame in pool.imap_unordered(convert, range(FRAME_COUNT), chunksize=64):
            frames[index] = frame
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
