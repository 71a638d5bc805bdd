"""The frames lab's client, my version.

Changes compared to the given client:
 * every frame is downloaded in its own thread, a semaphore makes sure that
   only MAX_PARALLEL downloads run at the same time;
 * converting the frames to RGBA is done with a multiprocessing.Pool.
"""
import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

# Address of the server, host and port separated by ':'
SERVER_URL = '127.0.0.1:1234'
# Name of the resulting gif
FILE_NAME = 'AlexeiFedorov.gif'
# How many bytes we read at once
CLIENT_BUFFER = 1024
# How many frames we download (the grader changes this)
FRAME_COUNT = 5000
# How many downloads may run at the same time
MAX_PARALLEL = 40
# Print a progress message every PROGRESS_STEP frames
PROGRESS_STEP = 500


def receive_frame(index):
    # split the address into host and port
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        # read until the server closes the connection
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    # save the frame to disk
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def download_frames():
    started = time.time()
    # create the folder for the frames if it does not exist yet
    if not os.path.exists('frames'):
        os.mkdir('frames')
    semaphore = threading.Semaphore(MAX_PARALLEL)

    def job(index):
        # the semaphore was acquired by the main thread, release it when done
        try:
            receive_frame(index)
        finally:
            semaphore.release()

    threads = []
    for index in range(FRAME_COUNT):
        semaphore.acquire()  # blocks while MAX_PARALLEL downloads are running
        thread = threading.Thread(target=job, args=(index,))
        thread.start()
        threads.append(thread)
        if index % PROGRESS_STEP == 0:
            print(f'Started download of frame {index}/{FRAME_COUNT}')
    # wait for the last ones
    for thread in threads:
        thread.join()
    print('All frames downloaded')
    return time.time() - started


def convert_frame(index):
    # runs in a worker process: open one frame and convert it to RGBA
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    # not more processes than cores (minus one for the main process, but at least 2)
    processes = max(2, multiprocessing.cpu_count() - 1)
    print(f'Converting frames with {processes} processes')
    with multiprocessing.Pool(processes=processes) as pool:
        # map keeps the order of the frames
        frames = pool.map(convert_frame, range(FRAME_COUNT))
    print('Saving the GIF')
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
