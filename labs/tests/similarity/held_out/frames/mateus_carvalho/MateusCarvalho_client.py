"""The frames lab's given client, written the way the course hands it out.

Sequential: FRAME_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object and saved as
frames/<i>.png; then every frame is opened, converted to RGBA, and Pillow
writes the animated GIF. `labs grade` runs it as the baseline of the
runtime-improved item, and as a second client against the student's server.
An instructor can hand the grader the exact copy their students received
instead (`labs grade --given-client FILE`).
"""
import multiprocessing
import os
import queue
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'MateusCarvalho.gif'
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
        try:
            index = tasks.get_nowait()
        except queue.Empty:
            return
        receive_frame(index)
        tasks.task_done()


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    tasks = queue.Queue()
    for index in range(FRAME_COUNT):
        tasks.put(index)
    threads = [threading.Thread(target=worker, args=(tasks,)) for _ in range(NUM_WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.time() - started


def load(index):
    image = Image.open(f'frames/{index}.png').convert('RGBA')
    return index, image


def create_gif():
    started = time.time()
    frames = [None] * FRAME_COUNT
    with multiprocessing.Pool(multiprocessing.cpu_count()) as pool:
        for index, image in pool.imap_unordered(load, range(FRAME_COUNT), chunksize=50):
            frames[index] = image
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
