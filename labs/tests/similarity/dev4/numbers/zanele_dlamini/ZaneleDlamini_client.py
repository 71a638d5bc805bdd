"""Numbers client, Zanele Dlamini.

Download: a queue of list numbers shared by WORKER_THREADS threads.
Sorting: multiprocessing.Pool.starmap over (source, destination) pairs.
"""
import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
WORKER_THREADS = 12


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def receive_list(index):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)


def download_unsorted_files():
    jobs = queue.Queue()
    for index in range(UNSORTED_FILES_COUNT):
        jobs.put(index)

    def worker():
        try:
            while True:
                receive_list(jobs.get_nowait())
        except queue.Empty:
            pass
    threads = [threading.Thread(target=worker) for _ in range(WORKER_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def sort_file(source, destination):
    with open(source) as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(destination, 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    pairs = [(f'unsorted_files/{i}.txt', f'sorted_files/{i}.txt')
             for i in range(UNSORTED_FILES_COUNT)]
    with Pool(processes=os.cpu_count()) as pool:
        pool.starmap(sort_file, pairs)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
