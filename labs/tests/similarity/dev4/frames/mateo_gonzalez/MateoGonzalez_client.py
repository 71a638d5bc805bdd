"""The frames lab's given client, written the way the course hands it out.

Sequential: FRAME_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object and saved as
frames/<i>.png; then every frame is opened, converted to RGBA, and Pillow
writes the animated GIF. `labs grade` runs it as the baseline of the
runtime-improved item, and as a second client against the student's server.
An instructor can hand the grader the exact copy their students received
instead (`labs grade --given-client FILE`).

Mateo Gonzalez: threads for the download (at most MAX_ACTIVE at a time),
ProcessPoolExecutor for opening the frames.
"""
import os
import socket
import threading
import time
from concurrent import futures

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'NameSurname.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
MAX_ACTIVE = 30


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
    main_threads = threading.active_count()
    for index in range(FRAME_COUNT):
        # wait until one of the running downloads is finished
        while threading.active_count() - main_threads >= MAX_ACTIVE:
            time.sleep(0.0005)
        threading.Thread(target=receive_frame, args=(index,)).start()
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join()
    return time.time() - started


def read_frame(index):
    frame = Image.open(f'frames/{index}.png')
    return frame.convert('RGBA')


def create_gif():
    started = time.time()
    with futures.ProcessPoolExecutor(max_workers=os.cpu_count()) as executor:
        jobs = [executor.submit(read_frame, index) for index in range(FRAME_COUNT)]
        frames = [job.result() for job in jobs]
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
