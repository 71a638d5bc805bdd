"""The frames lab's given client, written the way the course hands it out.

Sequential: FRAME_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object and saved as
frames/<i>.png; then every frame is opened, converted to RGBA, and Pillow
writes the animated GIF. `labs grade` runs it as the baseline of the
runtime-improved item, and as a second client against the student's server.
An instructor can hand the grader the exact copy their students received
instead (`labs grade --given-client FILE`).
"""
import os
import socket
import time
from multiprocessing import Pool, cpu_count
from threading import Thread

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'TomaszWroblewski.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 50


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


def download_chunk(start, stop):
    for index in range(start, stop):
        receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    chunk = FRAME_COUNT // THREADS + 1
    workers = []
    for start in range(0, FRAME_COUNT, chunk):
        stop = min(start + chunk, FRAME_COUNT)
        w = Thread(target=download_chunk, args=(start, stop))
        workers.append(w)
        w.start()
    for w in workers:
        w.join()
    return time.time() - started


def load_frame(index):
    with Image.open(f'frames/{index}.png') as img:
        return img.convert('RGBA')


def create_gif():
    started = time.time()
    with Pool(processes=cpu_count()) as pool:
        frames = list(pool.imap(load_frame, range(FRAME_COUNT), chunksize=100))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
