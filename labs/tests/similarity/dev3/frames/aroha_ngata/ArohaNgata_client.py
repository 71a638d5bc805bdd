import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

HOST_ADDRESS = '127.0.0.1:1234'
GIF_PATH = 'ArohaNgata.gif'
RECV_SIZE = 1024
FRAME_COUNT = 5000
NUM_DOWNLOADERS = 20
BATCH = 100


def fetch_image(n):
    host, port_no = HOST_ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, int(port_no)))
        payload = b''
        while True:
            piece = sock.recv(RECV_SIZE)
            if not piece:
                break
            payload += piece
    with open(f'frames/{n}.png', 'wb') as out_file:
        out_file.write(payload)


def pull_images(offset):
    # each thread does every NUM_DOWNLOADERS-th image, starting at its offset
    for n in range(offset, FRAME_COUNT, NUM_DOWNLOADERS):
        fetch_image(n)


def download_all():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    thread_list = [threading.Thread(target=pull_images, args=(k,))
                   for k in range(NUM_DOWNLOADERS)]
    for th in thread_list:
        th.start()
    for th in thread_list:
        th.join()
    return time.time() - t0


def rgba_image(n):
    img = Image.open(f'frames/{n}.png')
    return img.convert('RGBA')


def build_animation():
    t0 = time.time()
    # cap it at the number of CPUs
    n_procs = min(4, multiprocessing.cpu_count())
    with multiprocessing.Pool(processes=n_procs) as procs:
        # results come back in input order
        images = list(procs.imap(rgba_image, range(FRAME_COUNT), chunksize=BATCH))
    images[0].save(GIF_PATH, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {download_all()}')
    print(f'GIF creation time: {build_animation()}')
