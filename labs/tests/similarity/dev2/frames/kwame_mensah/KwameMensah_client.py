import argparse
import logging
import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'KwameMensah.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
WORKERS = 16

log = logging.getLogger('client')


def receive_frame(index, server_url=SERVER_URL):
    ip, port = server_url.split(':')
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


def worker(jobs, server_url):
    while True:
        index = jobs.get()
        if index is None:
            jobs.task_done()
            return
        try:
            receive_frame(index, server_url)
        except OSError as err:
            log.warning('frame %d failed (%s), putting it back', index, err)
            jobs.put(index)
        finally:
            jobs.task_done()


def download_frames(server_url, workers):
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    jobs = queue.Queue()
    for index in range(FRAME_COUNT):
        jobs.put(index)
    threads = [threading.Thread(target=worker, args=(jobs, server_url), daemon=True)
               for _ in range(workers)]
    for t in threads:
        t.start()
    jobs.join()
    # every frame is on disk now, tell the workers to stop
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()
    log.debug('all %d frames downloaded', FRAME_COUNT)
    return time.time() - started


def load(index):
    return index, Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    with Pool() as pool:
        loaded = dict(pool.imap_unordered(load, range(FRAME_COUNT), chunksize=64))
    frames = [loaded[i] for i in range(FRAME_COUNT)]
    log.debug('converted %d frames', len(frames))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


def parse_args():
    parser = argparse.ArgumentParser(description='Download frames and build a GIF')
    parser.add_argument('--server', default=SERVER_URL, help='host:port of the frame server')
    parser.add_argument('--workers', type=int, default=WORKERS, help='download threads')
    parser.add_argument('-v', '--verbose', action='store_true')
    return parser.parse_args()


if __name__ == '__main__':
    args = parse_args()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format='%(asctime)s %(threadName)s %(message)s')
    print(f'Frames download time: {download_frames(args.server, args.workers)}')
    print(f'GIF creation time: {create_gif()}')
