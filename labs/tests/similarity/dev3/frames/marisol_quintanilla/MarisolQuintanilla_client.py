"""Frames client (given by the course), modified by Marisol Quintanilla.

What I changed:
 - the download uses a queue with all the frame numbers and a group of
   worker threads that take numbers from the queue
 - the frames are converted to RGBA in a multiprocessing.Pool before the
   GIF is saved (the saving itself is still done by the main process)
"""
import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'MarisolQuintanilla.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NUM_WORKERS = 25      # how many download threads run at the same time
NUM_PROCESSES = 2     # my laptop has 2 cores, more processes would not help
VERBOSE = False       # True prints a line for every frame (slow!)


def receive_frame(index):
    # this is the same as in the given client
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


def worker(task_queue):
    # every worker takes frame numbers from the queue until it gets None
    while True:
        index = task_queue.get()
        if index is None:
            # no more work for this thread
            task_queue.task_done()
            break
        try:
            receive_frame(index)
        except OSError as error:
            # try once more, sometimes the server is busy
            print(f'Frame {index} failed ({error}), retrying')
            receive_frame(index)
        task_queue.task_done()
        if VERBOSE:
            print(f'Frame {index} done by {threading.current_thread().name}')


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
        print('Created the frames folder')

    # 1) put every frame number in the queue
    tasks = queue.Queue()
    for index in range(FRAME_COUNT):
        tasks.put(index)
    # 2) one None for every worker, so that all of them stop at the end
    for _ in range(NUM_WORKERS):
        tasks.put(None)

    # 3) start the workers
    threads = []
    for number in range(NUM_WORKERS):
        thread = threading.Thread(target=worker, args=(tasks,), name=f'worker-{number}')
        thread.start()
        threads.append(thread)
    print(f'Started {NUM_WORKERS} download threads')

    # 4) wait until the queue is empty and every thread has finished
    tasks.join()
    for thread in threads:
        thread.join()
    print('All frames downloaded')
    return time.time() - started


def prepare_frame(index):
    # runs in another process: open the png and convert it to RGBA
    image = Image.open(f'frames/{index}.png')
    return image.convert('RGBA')


def create_gif():
    started = time.time()
    print(f'Converting {FRAME_COUNT} frames with {NUM_PROCESSES} processes')
    with Pool(NUM_PROCESSES) as pool:
        # imap gives the results back in order, chunksize makes it faster
        frames = list(pool.imap(prepare_frame, range(FRAME_COUNT), chunksize=200))
    print('Saving the GIF...')
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
