"""Frames client - Amara Okafor.

Started from the sequential client we were given. What I changed:
  * the download is split between several FrameDownloader threads, each one
    gets its own block of frame indices;
  * the frames for the GIF are opened and converted in a multiprocessing Pool
    (not more processes than cores), the GIF itself is still saved at the end.
"""
import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'AmaraOkafor.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
# how many downloader threads run at the same time
DOWNLOADER_COUNT = 20


class FrameDownloader(threading.Thread):
    """A thread that downloads every frame whose index it is given."""

    def __init__(self, worker_id, indices):
        super().__init__()
        self.worker_id = worker_id
        self.indices = indices
        self.done = 0

    def run(self):
        # go over our block of frames one by one
        for index in self.indices:
            receive_frame(index)
            self.done += 1
        print(f'Downloader {self.worker_id} finished, {self.done} frames')


def receive_frame(index):
    # one connection per frame, the server closes it after the PNG
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                # empty packet = server closed = the frame is complete
                break
            data += packet
    # every thread writes a different file, so no lock is needed here
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def split_indices(count, parts):
    """Cut range(count) into `parts` blocks of (almost) the same size."""
    size, rest = divmod(count, parts)
    blocks = []
    start = 0
    for part in range(parts):
        # the first `rest` blocks get one frame more
        end = start + size + (1 if part < rest else 0)
        blocks.append(range(start, end))
        start = end
    return blocks


def download_frames():
    started = time.time()
    # the frames folder has to exist before the threads write into it
    if not os.path.exists('frames'):
        os.mkdir('frames')
    downloaders = []
    for worker_id, block in enumerate(split_indices(FRAME_COUNT, DOWNLOADER_COUNT)):
        downloaders.append(FrameDownloader(worker_id, block))
    print(f'Starting {len(downloaders)} downloader threads')
    for downloader in downloaders:
        downloader.start()
    # wait for all of them, otherwise the GIF would miss frames
    for downloader in downloaders:
        downloader.join()
    total = sum(d.done for d in downloaders)
    print(f'Downloaded {total} of {FRAME_COUNT} frames')
    return time.time() - started


def load_frame(index):
    # runs inside a worker process: open the PNG and convert it like the given client
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    # never more processes than cores (handout)
    process_count = multiprocessing.cpu_count()
    print(f'Converting frames with {process_count} processes')
    with multiprocessing.Pool(process_count) as pool:
        # imap gives the results back in the order of the indices,
        # so the GIF frames stay in order
        frames = list(pool.imap(load_frame, range(FRAME_COUNT), chunksize=64))
    print('Writing the GIF...')
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
