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
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'LinneaBerg.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOAD_WORKERS = 32


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
    with ThreadPoolExecutor(max_workers=DOWNLOAD_WORKERS) as executor:
        # list() so that an exception in a worker is raised here
        list(executor.map(receive_frame, range(FRAME_COUNT)))
    return time.time() - started


def to_rgba(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as executor:
        frames = list(executor.map(to_rgba, range(FRAME_COUNT), chunksize=50))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
