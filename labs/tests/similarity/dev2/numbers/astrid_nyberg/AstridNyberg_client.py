import os
import socket
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOAD_THREADS = 16


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_one(index):
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
    return len(data)


def download_unsorted_files():
    # ThreadPool comes from multiprocessing but runs threads, not processes
    with ThreadPool(DOWNLOAD_THREADS) as pool:
        sizes = pool.map(download_one, range(UNSORTED_FILES_COUNT))
    return sum(sizes)


def sort_file(source, target):
    with open(source) as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(target, 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    jobs = []
    for index in range(UNSORTED_FILES_COUNT):
        jobs.append((f'unsorted_files/{index}.txt', f'sorted_files/{index}.txt'))
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with Pool(workers) as pool:
        pool.starmap(sort_file, jobs)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    total = download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
