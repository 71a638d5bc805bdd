import multiprocessing as mp
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'FarhadKarimi.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOADERS = 16


class FrameDownloader(threading.Thread):
    """Downloads the frames first, first + 1, ..., last - 1."""

    def __init__(self, first, last):
        super().__init__()
        self.first = first
        self.last = last
        self.failed = []

    def run(self):
        for index in range(self.first, self.last):
            try:
                receive_frame(index)
            except ConnectionError:
                # remember it, the main thread tries again at the end
                self.failed.append(index)


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


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    step = FRAME_COUNT // DOWNLOADERS + 1
    downloaders = []
    for first in range(0, FRAME_COUNT, step):
        downloader = FrameDownloader(first, min(first + step, FRAME_COUNT))
        downloader.start()
        downloaders.append(downloader)
    failed = []
    for downloader in downloaders:
        downloader.join()
        failed.extend(downloader.failed)
    for index in failed:
        receive_frame(index)
    return time.time() - started


def convert_frame(path, mode):
    return Image.open(path).convert(mode)


def create_gif():
    started = time.time()
    jobs = [(f'frames/{index}.png', 'RGBA') for index in range(FRAME_COUNT)]
    with mp.Pool(mp.cpu_count()) as pool:
        frames = pool.starmap(convert_frame, jobs)
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
