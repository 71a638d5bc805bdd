import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'ValeriaOsipova.gif'
CLIENT_BUFFER = 4096
FRAME_COUNT = 5000
LIMIT = 40
REPORT_EVERY = 500


def get_png(number):
    host, port = SERVER_URL.split(':')
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect((host, int(port)))
    received = bytearray()
    packet = s.recv(CLIENT_BUFFER)
    while packet:
        received.extend(packet)
        packet = s.recv(CLIENT_BUFFER)
    s.close()
    with open(os.path.join('frames', f'{number}.png'), 'wb') as file:
        file.write(received)


def download_frames():
    begin = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    slots = threading.Semaphore(LIMIT)

    def task(number):
        try:
            get_png(number)
        finally:
            slots.release()

    running = []
    for number in range(FRAME_COUNT):
        slots.acquire()
        th = threading.Thread(target=task, args=(number,))
        th.start()
        running.append(th)
        if number % REPORT_EVERY == 0:
            print(f'Started download of frame {number}/{FRAME_COUNT}')
    for th in running:
        th.join()
    print('All frames downloaded')
    return time.time() - begin


def rgba_frames(numbers):
    return [Image.open(os.path.join('frames', f'{n}.png')).convert('RGBA') for n in numbers]


def create_gif():
    begin = time.time()
    half = FRAME_COUNT // 2
    with Pool(2) as pool:
        first, second = pool.map(rgba_frames, [range(half), range(half, FRAME_COUNT)])
    images = first + second
    images[0].save(FILE_NAME, format='GIF', append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - begin


if __name__ == '__main__':
    download_time = download_frames()
    print(f'Frames download time: {download_time}')
    gif_time = create_gif()
    print(f'GIF creation time: {gif_time}')
