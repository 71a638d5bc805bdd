# Amani Khoury - frames lab
# download: 16 threads pop frame numbers from a shared deque
# gif: the pngs are converted to RGBA with a multiprocessing pool
import collections
import os
import socket
import threading
import time
import multiprocessing

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'AmaniKhoury.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
N_THREADS = 16


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


def thread_job(todo):
    # deque.popleft is thread safe, so no lock needed
    while todo:
        try:
            index = todo.popleft()
        except IndexError:
            return
        receive_frame(index)


def download_frames():
    started = time.time()
    if not os.path.isdir('frames'):
        os.mkdir('frames')
    todo = collections.deque(range(FRAME_COUNT))
    threads = []
    for _ in range(N_THREADS):
        threads.append(threading.Thread(target=thread_job, args=(todo,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def png_to_rgba(path):
    return Image.open(path).convert('RGBA')


def create_gif():
    started = time.time()
    paths = ['frames/%d.png' % index for index in range(FRAME_COUNT)]
    pool = multiprocessing.Pool(processes=multiprocessing.cpu_count())
    result = pool.map_async(png_to_rgba, paths, chunksize=125)
    frames = result.get()
    pool.close()
    pool.join()
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
