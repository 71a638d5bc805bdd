# Oskar Lindqvist, lab 2, frames client.
# Threads for downloading (capped with a semaphore),
# a process pool for reading the pictures back.
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

ADDR = '127.0.0.1:1234'
RESULT_FILE = 'OskarLindqvist.gif'
BUF_SIZE = 1024
FRAME_COUNT = 5000

PARALLEL_LIMIT = 100
REPORT_STEP = 500
CHATTY = True

done_count = 0
done_lock = threading.Lock()
slots = threading.Semaphore(PARALLEL_LIMIT)


def fetch_picture(num):
    global done_count
    host, port_text = ADDR.split(':')
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.connect((host, int(port_text)))
            content = b''
            while True:
                block = sock.recv(BUF_SIZE)
                if not block:
                    break
                content += block
        with open(f'frames/{num}.png', 'wb') as fh:
            fh.write(content)
    finally:
        slots.release()  # free the slot for the next thread

    with done_lock:
        done_count += 1
        if CHATTY and done_count % REPORT_STEP == 0:
            print(f'  ... {done_count}/{FRAME_COUNT} frames downloaded')


def fetch_everything():
    begin = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    running = []
    for num in range(FRAME_COUNT):
        slots.acquire()
        th = threading.Thread(target=fetch_picture, args=(num,))
        th.start()
        running.append(th)
    for th in running:
        th.join()
    if CHATTY:
        print(f'Started {len(running)} threads in total')
    return time.time() - begin


def decode_picture(num):
    return Image.open(f'frames/{num}.png').convert('RGBA')


def assemble_gif():
    begin = time.time()
    n_workers = cpu_count()
    if CHATTY:
        print(f'Converting {FRAME_COUNT} frames with {n_workers} processes')
    with Pool(n_workers) as workers:
        pictures = workers.map(decode_picture, range(FRAME_COUNT))
    pictures[0].save(RESULT_FILE, format='GIF', append_images=pictures[1:],
                     save_all=True, duration=500, loop=0)
    if CHATTY:
        print(f'GIF saved as {RESULT_FILE}')
    return time.time() - begin


if __name__ == '__main__':
    print('Starting download ...')
    print(f'Frames download time: {fetch_everything()}')
    print('Starting gif creation ...')
    print(f'GIF creation time: {assemble_gif()}')
    print('Done!')
