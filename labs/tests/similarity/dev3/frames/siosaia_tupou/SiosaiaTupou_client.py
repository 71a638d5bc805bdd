import multiprocessing
import os
import queue
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'SiosaiaTupou.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 30
DEBUG = False


def grab_frame(index):
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


def fetch_loop(jobs):
    while True:
        frame_no = jobs.get()
        if frame_no is None:
            jobs.task_done()
            break
        try:
            grab_frame(frame_no)
        except OSError as err:
            print(f'Frame {frame_no} failed ({err}), retrying')
            grab_frame(frame_no)
        jobs.task_done()
        if DEBUG:
            print(f'Frame {frame_no} done by {threading.current_thread().name}')


def download_frames():
    started = time.time()
    os.makedirs('frames', exist_ok=True)
    jobs = queue.Queue()
    pool = [threading.Thread(target=fetch_loop, args=(jobs,)) for _ in range(THREADS)]
    for t in pool:
        t.start()
    for i in range(FRAME_COUNT):
        jobs.put(i)
    for _ in pool:
        jobs.put(None)
    for t in pool:
        t.join()
    return time.time() - started


def convert_chunk(indices):
    return [Image.open(f'frames/{i}.png').convert('RGBA') for i in indices]


def create_gif():
    started = time.time()
    cores = os.cpu_count() or 1
    size = FRAME_COUNT // cores + 1
    chunks = [range(i, min(i + size, FRAME_COUNT)) for i in range(0, FRAME_COUNT, size)]
    with multiprocessing.Pool(cores) as p:
        parts = p.map(convert_chunk, chunks)
    frames = [frame for part in parts for frame in part]
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
