# Jakob Huber - numbers client
#
# Phase 1: the lists are downloaded by a handful of threads that share a
#          queue of list numbers.
# Phase 2: every list is sorted in a worker process (Pool.apply_async),
#          at most one process per CPU core.
import os
import queue
import socket
import sys
import threading
import time
import multiprocessing

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREADS = 8

UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'


def create_directories():
    for folder in (UNSORTED_DIR, SORTED_DIR):
        if not os.path.exists(folder):
            os.mkdir(folder)


def get_one_list(number):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    path = os.path.join(UNSORTED_DIR, f'{number}.txt')
    with open(path, 'wb') as f:
        f.write(data)


def download_unsorted_files():
    todo = queue.Queue()
    for number in range(UNSORTED_FILES_COUNT):
        todo.put(number)

    def fetcher():
        try:
            while True:
                get_one_list(todo.get_nowait())
        except queue.Empty:
            pass
    pool = [threading.Thread(target=fetcher) for _ in range(THREADS)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()


def sort_numbers(number):
    src = os.path.join(UNSORTED_DIR, f'{number}.txt')
    dst = os.path.join(SORTED_DIR, f'{number}.txt')
    with open(src) as f:
        values = sorted(int(token) for token in f.read().split(','))
    with open(dst, 'w') as f:
        f.write(','.join(str(v) for v in values))
    return number


def create_sorted_files():
    processes = max(1, min(os.cpu_count() or 1, UNSORTED_FILES_COUNT))
    with multiprocessing.Pool(processes) as pool:
        pending = [pool.apply_async(sort_numbers, (number,))
                   for number in range(UNSORTED_FILES_COUNT)]
        for job in pending:
            job.get()


def main():
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
