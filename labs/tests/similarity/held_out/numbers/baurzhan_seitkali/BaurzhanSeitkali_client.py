"""Numbers client - Baurzhan Seitkali.

Download: WORKER_COUNT threads take list numbers from a queue.
Sorting: multiprocessing.Pool, one task per file.
"""
import multiprocessing
import os
import queue
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
WORKER_COUNT = 8


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_worker(jobs, ip, port):
    while True:
        index = jobs.get()
        if index is None:
            jobs.task_done()
            break
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, port))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)
        jobs.task_done()


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    jobs = queue.Queue()
    workers = []
    for _ in range(WORKER_COUNT):
        w = threading.Thread(target=download_worker, args=(jobs, ip, int(port)))
        w.start()
        workers.append(w)
    for index in range(UNSORTED_FILES_COUNT):
        jobs.put(index)
    for _ in workers:
        jobs.put(None)
    jobs.join()


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    with multiprocessing.Pool(processes=multiprocessing.cpu_count()) as pool:
        for _ in pool.imap_unordered(sort_file, range(UNSORTED_FILES_COUNT)):
            pass


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
