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
from concurrent.futures import ProcessPoolExecutor

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'DaliaHaddad.gif'
CLIENT_BUFFER = 4096
FRAME_COUNT = 5000
N_THREADS = 30


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = bytearray()
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data.extend(packet)
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def receive_every_nth(offset, step):
    # thread k gets frames k, k + step, k + 2 * step, ...
    for index in range(offset, FRAME_COUNT, step):
        receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    threads = [threading.Thread(target=receive_every_nth, args=(i, N_THREADS))
               for i in range(N_THREADS)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return time.time() - started


def load_rgba(index):
    img = Image.open(f'frames/{index}.png')
    img.load()
    return img.convert('RGBA')


def create_gif():
    started = time.time()
    workers = os.cpu_count() or 2
    chunk = max(1, FRAME_COUNT // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        frames = list(executor.map(load_rgba, range(FRAME_COUNT), chunksize=chunk))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
