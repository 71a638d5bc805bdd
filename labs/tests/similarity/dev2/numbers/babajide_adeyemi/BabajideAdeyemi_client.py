"""Numbers lab client - Babajide Adeyemi.

Download: N_THREADS threads, each one gets a slice of the list indices.
Sorting: multiprocessing.Pool.imap over the indices.
"""
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
N_THREADS = 10


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def fetch_one(ip, port, index):
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


def fetch_chunk(ip, port, indices):
    for index in indices:
        fetch_one(ip, port, index)


def chunks(items, n):
    """Split items into n parts whose sizes differ by at most one."""
    k, m = divmod(len(items), n)
    return [items[i * k + min(i, m):(i + 1) * k + min(i + 1, m)] for i in range(n)]


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    indices = list(range(UNSORTED_FILES_COUNT))
    threads = []
    for part in chunks(indices, N_THREADS):
        if not part:
            continue
        t = threading.Thread(target=fetch_chunk, args=(ip, int(port), part))
        threads.append(t)
        t.start()
    for t in threads:
        t.join()


def sort_one(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    with Pool(processes=cpu_count()) as pool:
        finished = list(pool.imap(sort_one, range(UNSORTED_FILES_COUNT)))
    if len(finished) != UNSORTED_FILES_COUNT:
        raise RuntimeError('some lists were not sorted')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
