"""
Frames client - Mehmet Yilmaz

Based on the given sequential client. What I changed:
  * download_frames() uses a ThreadPoolExecutor with MAX_THREADS threads,
    every frame is submitted as a separate task
  * create_gif() opens and converts the PNG files in a multiprocessing Pool
    (one process per core) with starmap
"""
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'MehmetYilmaz.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
MAX_THREADS = 40          # more threads did not help on my laptop
FRAMES_DIR = 'frames'


def receive_frame(index):
    # connect, read until the server closes the connection, save the PNG
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'{FRAMES_DIR}/{index}.png', 'wb') as f:
        f.write(data)
    return index


def download_frames():
    started = time.time()
    # create the folder for the frames if needed
    if not os.path.exists(FRAMES_DIR):
        os.mkdir(FRAMES_DIR)
        print(f'Created folder {FRAMES_DIR}/')
    print(f'Downloading {FRAME_COUNT} frames with {MAX_THREADS} threads...')
    done = 0
    with ThreadPoolExecutor(max_workers=MAX_THREADS) as executor:
        # submit one task per frame
        futures = [executor.submit(receive_frame, index) for index in range(FRAME_COUNT)]
        # wait for the tasks, in whatever order they finish
        for future in as_completed(futures):
            future.result()  # raises if the download failed
            done += 1
            if done % 1000 == 0:
                print(f'  {done}/{FRAME_COUNT} frames downloaded')
    return time.time() - started


def prepare_frame(index, folder):
    # runs in a worker process: open one PNG and convert it to RGBA
    return Image.open(f'{folder}/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    processes = os.cpu_count() or 1
    print(f'Preparing frames with {processes} processes...')
    # starmap keeps the order of the arguments, so the frames stay in order
    arguments = [(index, FRAMES_DIR) for index in range(FRAME_COUNT)]
    with Pool(processes=processes) as pool:
        frames = pool.starmap(prepare_frame, arguments)
    print('Writing the GIF...')
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
