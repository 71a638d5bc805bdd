"""Numbers lab client - Edgar Mejia.

Starting point: the sequential client from the course.
1. The download now uses a ThreadPool (multiprocessing.pool.ThreadPool gives
   threads, not processes), because downloading is mostly waiting for the
   network, and threads are fine for waiting.
2. The sorting now uses a Pool of processes, because sorting is CPU work and
   the GIL would not let threads sort at the same time.
"""
import os
import socket
import time
from multiprocessing import Pool, cpu_count
from multiprocessing.pool import ThreadPool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOAD_THREADS = 20   # lists downloaded at the same time
SHOW_PROGRESS = True    # print a dot for every finished file


def create_directories():
    # same as the given client
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_one_file(index):
    # download list number `index` and save it in unsorted_files/
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        # read until the server closes the connection (recv returns b'')
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)
    if SHOW_PROGRESS:
        print('.', end='', flush=True)
    return len(data)


def download_unsorted_files():
    print(f'Downloading {UNSORTED_FILES_COUNT} files with {DOWNLOAD_THREADS} threads')
    # the pool gives each thread the next index that is not done yet
    with ThreadPool(DOWNLOAD_THREADS) as pool:
        sizes = pool.map(download_one_file, range(UNSORTED_FILES_COUNT))
    if SHOW_PROGRESS:
        print()
    # just for me: how much did we download?
    print(f'Downloaded {sum(sizes) / 1_000_000:.1f} MB')


def sort_one_file(index):
    # this function runs inside a worker process
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    # never more processes than the machine has cores
    processes = cpu_count()
    print(f'Sorting with {processes} processes')
    with Pool(processes) as pool:
        # imap gives the results one by one, so I can show the progress
        for index in pool.imap(sort_one_file, range(UNSORTED_FILES_COUNT)):
            if SHOW_PROGRESS:
                print('.', end='', flush=True)
    if SHOW_PROGRESS:
        print()


if __name__ == '__main__':
    create_directories()

    # phase 1: download
    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    # phase 2: sort
    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
