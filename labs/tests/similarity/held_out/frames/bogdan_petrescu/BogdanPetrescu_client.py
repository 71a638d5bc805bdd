import multiprocessing
import os
import queue
import socket
import threading
import time

from PIL import Image

ADDRESS = '127.0.0.1:1234'
GIF_PATH = 'BogdanPetrescu.gif'
RECV_SIZE = 1024
FRAME_COUNT = 5000
THREAD_NUMBER = 20


def get_image(number):
    host, port_text = ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port_text)))
        content = b''
        while True:
            piece = conn.recv(RECV_SIZE)
            if not piece:
                break
            content += piece
    with open(f'frames/{number}.png', 'wb') as out:
        out.write(content)


def consumer(pending):
    while True:
        try:
            number = pending.get_nowait()
        except queue.Empty:
            return
        get_image(number)
        pending.task_done()


def fetch_all():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    pending = queue.Queue()
    for number in range(FRAME_COUNT):
        pending.put(number)
    helpers = [threading.Thread(target=consumer, args=(pending,)) for _ in range(THREAD_NUMBER)]
    for h in helpers:
        h.start()
    for h in helpers:
        h.join()
    return time.time() - t0


def read_image(number):
    picture = Image.open(f'frames/{number}.png').convert('RGBA')
    return number, picture


def make_gif():
    t0 = time.time()
    pictures = [None] * FRAME_COUNT
    with multiprocessing.Pool(multiprocessing.cpu_count()) as procs:
        for number, picture in procs.imap_unordered(read_image, range(FRAME_COUNT), chunksize=50):
            pictures[number] = picture
    pictures[0].save(GIF_PATH, format='GIF', append_images=pictures[1:],
                     save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {fetch_all()}')
    print(f'GIF creation time: {make_gif()}')
