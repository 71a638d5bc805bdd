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
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'NameSurname.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NUM_THREADS = 20


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


def download_chunk(indices):
    for index in indices:
        receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    chunk = (FRAME_COUNT + NUM_THREADS - 1) // NUM_THREADS
    workers = []
    for i in range(NUM_THREADS):
        part = range(i * chunk, min((i + 1) * chunk, FRAME_COUNT))
        worker = threading.Thread(target=download_chunk, args=(part,))
        workers.append(worker)
        worker.start()
    for worker in workers:
        worker.join()
    return time.time() - started


def to_rgba(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    frames = []
    with Pool(processes=os.cpu_count()) as pool:
        for frame in pool.imap(to_rgba, range(FRAME_COUNT), chunksize=50):
            frames.append(frame)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
