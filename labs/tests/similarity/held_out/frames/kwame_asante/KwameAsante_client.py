"""The frames lab's given client, written the way the course hands it out.

Sequential: FRAME_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object and saved as
frames/<i>.png; then every frame is opened, converted to RGBA, and Pillow
writes the animated GIF. `labs grade` runs it as the baseline of the
runtime-improved item, and as a second client against the student's server.
An instructor can hand the grader the exact copy their students received
instead (`labs grade --given-client FILE`).
"""
# Kwame Asante - frames lab
# What I changed compared to the given client:
#   * download_frames() now starts one thread per frame, but a semaphore
#     makes sure that only MAX_CONNECTIONS of them talk to the server at once
#   * create_gif() opens and converts the frames in a multiprocessing.Pool
#   * some progress prints so I can see that it is not stuck
import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'KwameAsante.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
# how many connections may be open at once (more than this did not help on my laptop)
MAX_CONNECTIONS = 50
# print a progress line every this many frames
PROGRESS_EVERY = 500

# the semaphore limits the number of open connections
connection_slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
# lock + counter so the threads can report progress without mixing up the count
progress_lock = threading.Lock()
frames_done = 0


def receive_frame(index):
    global frames_done
    ip, port = SERVER_URL.split(':')
    # wait here until one of the slots is free
    with connection_slots:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    # the server closed the connection -> the whole PNG is here
                    break
                data += packet
    # every thread writes its own file, so no lock is needed here
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)
    # update the shared counter (with the lock, otherwise two threads could
    # read the same old value and we would lose one)
    with progress_lock:
        frames_done += 1
        if frames_done % PROGRESS_EVERY == 0:
            print(f'  downloaded {frames_done}/{FRAME_COUNT} frames')


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    # start one thread for every frame
    threads = []
    for index in range(FRAME_COUNT):
        thread = threading.Thread(target=receive_frame, args=(index,))
        thread.start()
        threads.append(thread)
    # wait until all of them are finished, otherwise the time is wrong
    for thread in threads:
        thread.join()
    return time.time() - started


def load_frame(index):
    # this runs inside a worker process: open the png and convert it to RGBA
    # (the same thing the given client did in its loop)
    return Image.open(f'frames/{index}.png').convert('RGBA')


def create_gif():
    started = time.time()
    # as many processes as the machine has cores (not more!)
    cores = multiprocessing.cpu_count()
    print(f'  converting frames with {cores} processes')
    with multiprocessing.Pool(processes=cores) as pool:
        # map keeps the order, so frames[i] is still frame i
        frames = pool.map(load_frame, range(FRAME_COUNT))
    # writing the gif itself has to happen in one process
    print('  writing the gif')
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print('Starting the download...')
    print(f'Frames download time: {download_frames()}')
    print('Creating the gif...')
    print(f'GIF creation time: {create_gif()}')
