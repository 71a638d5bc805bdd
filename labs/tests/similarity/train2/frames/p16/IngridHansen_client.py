import os
import socket
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, wait

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'IngridHansen.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
DOWNLOAD_THREADS = 24
RETRIES = 3


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    for attempt in range(1, RETRIES + 1):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.connect((ip, int(port)))
                data = b''
                while True:
                    packet = s.recv(CLIENT_BUFFER)
                    if not packet:
                        break
                    data += packet
            break
        except ConnectionError:
            # the server's backlog can be full for a moment, try again a bit later
            if attempt == RETRIES:
                raise
            time.sleep(0.05 * attempt)
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    with ThreadPoolExecutor(max_workers=DOWNLOAD_THREADS) as executor:
        futures = [executor.submit(receive_frame, i) for i in range(FRAME_COUNT)]
        done, _ = wait(futures)
    failed = [f for f in done if f.exception() is not None]
    if failed:
        print(f'Warning: {len(failed)} frames could not be downloaded')
    return time.time() - started


def prepare(index):
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    workers = os.cpu_count() or 1
    chunk = FRAME_COUNT // (workers * 4) + 1
    with ProcessPoolExecutor(max_workers=workers) as executor:
        frames = list(executor.map(prepare, range(FRAME_COUNT), chunksize=chunk))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
