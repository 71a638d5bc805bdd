import logging
import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

logging.basicConfig(level=logging.INFO,
                    format='%(asctime)s [%(threadName)s] %(message)s')
log = logging.getLogger('frames-client')

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'PutriWulandari.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
MAX_CONNECTIONS = 30

# at most MAX_CONNECTIONS threads talk to the server at the same time
connection_slots = threading.Semaphore(MAX_CONNECTIONS)


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    with connection_slots:
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
    if index % 1000 == 0:
        log.debug('frame %d saved', index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    threads = []
    for index in range(FRAME_COUNT):
        thread = threading.Thread(target=receive_frame, args=(index,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    log.info('downloaded %d frames', FRAME_COUNT)
    return time.time() - started


def convert_frame(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    workers = max(1, multiprocessing.cpu_count())
    log.info('converting frames with %d processes', workers)
    with multiprocessing.Pool(workers) as pool:
        frames = list(pool.imap(convert_frame, range(FRAME_COUNT), chunksize=250))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    log.info('saved %s', FILE_NAME)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
