import os
import socket
import time
import threading
import multiprocessing

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'PriyaRaghunathan.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREAD_COUNT = 25


class FrameDownloader(threading.Thread):
    """Downloads every frame whose index is offset, offset + step, offset + 2*step, ..."""

    def __init__(self, offset, step):
        super().__init__()
        self.offset = offset
        self.step = step
        self.done = 0

    def run(self):
        for index in range(self.offset, FRAME_COUNT, self.step):
            receive_frame(index)
            self.done += 1


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
    downloaders = [FrameDownloader(i, THREAD_COUNT) for i in range(THREAD_COUNT)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
    total = sum(d.done for d in downloaders)
    assert total == FRAME_COUNT, f'only {total} frames downloaded'
    return time.time() - started


def prepare_frame(folder, index):
    image = Image.open(os.path.join(folder, f'{index}.png'))
    return image.convert('RGBA')


def create_gif():
    started = time.time()
    cores = multiprocessing.cpu_count()
    with multiprocessing.Pool(cores) as pool:
        frames = pool.starmap(prepare_frame, [('frames', i) for i in range(FRAME_COUNT)])
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
