# Frames lab client - Freya Lindqvist
# Changes compared to the given client:
#   * the frames are downloaded by many threads at the same time
#   * opening + converting the PNGs is done in a process pool
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'FreyaLindqvist.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
# how many connections may be open at the same time
MAX_CONNECTIONS = 50
# do not start more processes than there are cores
PROCESSES = os.cpu_count() or 2

# the semaphore limits how many threads talk to the server at once
limiter = threading.Semaphore(MAX_CONNECTIONS)


def receive_frame(index):
    # wait for a free slot before connecting
    with limiter:
        ip, port = SERVER_URL.split(':')
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            # read until the server closes the connection
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
    # writing the file does not need the slot any more
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
        print('Created the frames folder')
    print(f'Starting {FRAME_COUNT} download threads ({MAX_CONNECTIONS} at a time)')
    threads = []
    for index in range(FRAME_COUNT):
        thread = threading.Thread(target=receive_frame, args=(index,))
        thread.start()
        threads.append(thread)
        # small progress message every 1000 frames
        if (index + 1) % 1000 == 0:
            print(f'  started {index + 1} threads')
    # wait until every frame is on disk
    for thread in threads:
        thread.join()
    print('All frames downloaded')
    return time.time() - started


def open_frame(index):
    # this runs inside a worker process
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    print(f'Converting frames with {PROCESSES} processes')
    # map keeps the order, so frame i stays at position i
    with Pool(PROCESSES) as pool:
        frames = pool.map(open_frame, range(FRAME_COUNT), chunksize=100)
    print(f'Converted {len(frames)} frames, writing {FILE_NAME}')
    # the first frame saves the whole animation
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
