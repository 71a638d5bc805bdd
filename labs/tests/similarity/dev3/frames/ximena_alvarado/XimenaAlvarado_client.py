# Frames client - Ximena Alvarado
# threads download the frames in groups, a process pool opens them for the gif
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

SERVER_ADDR = '127.0.0.1:1234'
OUTPUT_GIF = 'XimenaAlvarado.gif'
BUF_SIZE = 1024
FRAME_COUNT = 5000
GROUP = 50


def frame_to_rgba(number):
    return Image.open(f'frames/{number}.png').convert('RGBA')


def make_gif():
    t_start = time.time()
    with Pool(cpu_count()) as workers:
        # map returns them in order
        images = workers.map(frame_to_rgba, range(FRAME_COUNT))
    images[0].save(
        OUTPUT_GIF, format='GIF', append_images=images[1:],
        save_all=True, duration=500, loop=0
    )
    return time.time() - t_start


def fetch_all_frames():
    t_start = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    for first in range(0, FRAME_COUNT, GROUP):
        group = [threading.Thread(target=get_frame, args=(number,))
                 for number in range(first, min(first + GROUP, FRAME_COUNT))]
        for th in group:
            th.start()
        # the next group starts only when this one is done
        for th in group:
            th.join()
    return time.time() - t_start


def get_frame(number):
    host, port = SERVER_ADDR.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        received = b''
        while True:
            chunk = conn.recv(BUF_SIZE)
            if chunk:
                received += chunk
            else:
                break
    with open(f'frames/{number}.png', 'wb') as out:
        out.write(received)


if __name__ == '__main__':
    print(f'Frames download time: {fetch_all_frames()}')
    print(f'GIF creation time: {make_gif()}')
