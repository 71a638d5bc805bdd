import multiprocessing
import os
import queue
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'DiegoSalazar.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
NUM_FETCHERS = 20


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


def fetch_all_frames():
    begin = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    pending = queue.Queue()
    for number in range(FRAME_COUNT):
        pending.put(number)

    def fetcher():
        while True:
            try:
                number = pending.get_nowait()
            except queue.Empty:
                return
            receive_frame(number)
            pending.task_done()

    crew = [threading.Thread(target=fetcher) for _ in range(NUM_FETCHERS)]
    for member in crew:
        member.start()
    for member in crew:
        member.join()
    return time.time() - begin


def rgba_frame(path):
    img = Image.open(path)
    img.load()
    return img.convert('RGBA')


def create_gif():
    begin = time.time()
    paths = [f'frames/{n}.png' for n in range(FRAME_COUNT)]
    cores = os.cpu_count() or 1
    with multiprocessing.Pool(cores) as pool:
        frames = list(pool.imap(rgba_frame, paths, chunksize=25))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - begin


if __name__ == '__main__':
    download_time = fetch_all_frames()
    print(f'Frames download time: {download_time}')
    gif_time = create_gif()
    print(f'GIF creation time: {gif_time}')
