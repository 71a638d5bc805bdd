# =============================================================
#  Lab 2 - Frames client (concurrent version)
#  Author: Mateo Fernandez
#
#  What I changed from the given client:
#   1. the download runs in many threads (one thread per frame,
#      but never more than MAX_THREADS running at the same time)
#   2. the PNG -> RGBA conversion runs in a multiprocessing Pool
#  The output (frames/ folder + gif) is the same as before.
# =============================================================
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

# ---- settings (same as the given client) ----
SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'MateoFernandez.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000

# ---- my settings ----
MAX_THREADS = 100          # how many downloads can run at the same time
PROGRESS_EVERY = 500       # print a progress line every N frames
VERBOSE = True

# counter of finished frames, shared by all the threads
downloaded = 0
counter_lock = threading.Lock()
# limits the number of threads that are downloading at the same time
thread_limit = threading.Semaphore(MAX_THREADS)


def receive_frame(index):
    """Downloads ONE frame from the server and saves it as frames/<index>.png"""
    global downloaded
    ip, port = SERVER_URL.split(':')
    try:
        # open the connection and read until the server closes it
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break  # server closed -> the frame is complete
                data += packet
        # write the png to the disk
        with open(f'frames/{index}.png', 'wb') as f:
            f.write(data)
    finally:
        # always give the slot back, even when something went wrong
        thread_limit.release()

    # update the counter (with the lock, because many threads change it)
    with counter_lock:
        downloaded += 1
        if VERBOSE and downloaded % PROGRESS_EVERY == 0:
            print(f'  ... {downloaded}/{FRAME_COUNT} frames downloaded')


def download_frames():
    """Starts one thread per frame and waits for all of them."""
    started = time.time()
    # create the folder for the frames if it is not there
    if not os.path.exists('frames'):
        os.mkdir('frames')
    threads = []
    for index in range(FRAME_COUNT):
        thread_limit.acquire()  # waits here if MAX_THREADS are already running
        t = threading.Thread(target=receive_frame, args=(index,))
        t.start()
        threads.append(t)
    # wait until every thread has finished
    for t in threads:
        t.join()
    if VERBOSE:
        print(f'Started {len(threads)} threads in total')
    return time.time() - started


def convert_frame(index):
    """Runs in a worker process: opens one png and converts it to RGBA."""
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    """Loads the frames in parallel and writes the animated GIF."""
    started = time.time()
    # no more processes than cores (the handout says so)
    processes = cpu_count()
    if VERBOSE:
        print(f'Converting {FRAME_COUNT} frames with {processes} processes')
    with Pool(processes) as pool:
        # map keeps the order of the results, so frame i stays frame i
        frames = pool.map(convert_frame, range(FRAME_COUNT))
    # the first frame writes the gif and the others are appended to it
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    if VERBOSE:
        print(f'GIF saved as {FILE_NAME}')
    return time.time() - started


if __name__ == '__main__':
    print('Starting download ...')
    print(f'Frames download time: {download_frames()}')
    print('Starting gif creation ...')
    print(f'GIF creation time: {create_gif()}')
    print('Done!')
