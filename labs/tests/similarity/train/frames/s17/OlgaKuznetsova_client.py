import multiprocessing as mp
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'OlgaKuznetsova.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 10


class FrameDownloader(threading.Thread):
    """Downloads every frame whose index is in `indices`."""

    def __init__(self, indices):
        super().__init__()
        self.indices = indices
        self.ip, port = SERVER_URL.split(':')
        self.port = int(port)

    def receive_frame(self, index):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((self.ip, self.port))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        with open(f'frames/{index}.png', 'wb') as f:
            f.write(data)

    def run(self):
        for index in self.indices:
            self.receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    # thread k takes frames k, k + THREADS, k + 2 * THREADS, ...
    downloaders = [FrameDownloader(range(k, FRAME_COUNT, THREADS)) for k in range(THREADS)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
    return time.time() - started


def prepare_frame(folder, index):
    path = os.path.join(folder, f'{index}.png')
    return Image.open(path).convert('RGBA')


def create_gif():
    started = time.time()
    arguments = [('frames', index) for index in range(FRAME_COUNT)]
    with mp.Pool(processes=mp.cpu_count()) as pool:
        frames = pool.starmap(prepare_frame, arguments)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
