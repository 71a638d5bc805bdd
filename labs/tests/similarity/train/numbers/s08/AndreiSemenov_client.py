import multiprocessing
import os
import socket
import time
from multiprocessing.pool import ThreadPool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOAD_THREADS = 12


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_file(index):
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
    # ThreadPool from multiprocessing runs threads, not processes
    with ThreadPool(DOWNLOAD_THREADS) as pool:
        pool.map(download_file, range(UNSORTED_FILES_COUNT))


def sort_files(indices):
    for index in indices:
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = [int(token) for token in f.read().split(',')]
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))


def create_sorted_files():
    cores = multiprocessing.cpu_count()
    all_indices = list(range(UNSORTED_FILES_COUNT))
    processes = []
    for core in range(cores):
        part = all_indices[core::cores]
        if not part:
            continue
        process = multiprocessing.Process(target=sort_files, args=(part,))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
        if process.exitcode != 0:
            print(f'Sorting process {process.pid} failed')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
