import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'DariuszWojcik.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREAD_COUNT = 20
CHUNK = 100


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


def download_worker(worker_id):
    # worker k takes frames k, k + THREAD_COUNT, k + 2 * THREAD_COUNT, ...
    for index in range(worker_id, FRAME_COUNT, THREAD_COUNT):
        receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    workers = [threading.Thread(target=download_worker, args=(i,))
               for i in range(THREAD_COUNT)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.time() - started


def open_frame(index):
    frame = Image.open(f'frames/{index}.png')
    return frame.convert('RGBA')


def create_gif():
    started = time.time()
    # never more processes than cores
    processes = min(4, multiprocessing.cpu_count())
    with multiprocessing.Pool(processes=processes) as pool:
        # imap returns the frames in the same order as the indices
        frames = list(pool.imap(open_frame, range(FRAME_COUNT), chunksize=CHUNK))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
