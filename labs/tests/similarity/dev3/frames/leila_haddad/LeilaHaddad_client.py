"""Frames client - Leila Haddad

Downloads the frames with a thread pool and converts them for the GIF in a
process pool (concurrent.futures for both).
"""
import os
import socket
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'LeilaHaddad.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
MAX_THREADS = 32
MAX_PROCESSES = os.cpu_count() or 2


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
    os.makedirs('frames', exist_ok=True)
    with ThreadPoolExecutor(max_workers=MAX_THREADS) as executor:
        # list() so that an exception in a worker is raised here
        list(executor.map(receive_frame, range(FRAME_COUNT)))
    return time.time() - started


def to_rgba(index):
    with Image.open(f'frames/{index}.png') as img:
        return img.convert('RGBA')


def create_gif():
    started = time.time()
    with ProcessPoolExecutor(max_workers=MAX_PROCESSES) as executor:
        frames = list(executor.map(to_rgba, range(FRAME_COUNT), chunksize=50))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
