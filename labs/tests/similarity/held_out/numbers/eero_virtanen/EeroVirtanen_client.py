"""Numbers client, Eero Virtanen.

Downloads with a thread pool (multiprocessing.pool.ThreadPool, since
concurrent.futures is not allowed) and sorts with a process pool.
"""
import os
import socket
import time
from contextlib import contextmanager
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 65536
UNSORTED_FILES_COUNT = 100
UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'
DOWNLOAD_THREADS = 20


@contextmanager
def stopwatch(label):
    started = time.time()
    yield
    print(f'{label}: {time.time() - started}')


def create_directories():
    for folder in (UNSORTED_DIR, SORTED_DIR):
        os.makedirs(folder, exist_ok=True)


def parse_address(url):
    host, port = url.split(':')
    return host, int(port)


def file_name(folder, index):
    return os.path.join(folder, f'{index}.txt')


def receive_all(address):
    buffer = bytearray()
    with socket.create_connection(address) as sock:
        while chunk := sock.recv(CLIENT_BUFFER):
            buffer += chunk
    return bytes(buffer)


def download_one(index):
    data = receive_all(parse_address(SERVER_URL))
    with open(file_name(UNSORTED_DIR, index), 'wb') as f:
        f.write(data)


def read_numbers(path):
    with open(path) as f:
        return [int(token) for token in f.read().split(',')]


def write_numbers(path, numbers):
    with open(path, 'w') as f:
        f.write(','.join(map(str, numbers)))


def sort_one(index):
    numbers = sorted(read_numbers(file_name(UNSORTED_DIR, index)))
    write_numbers(file_name(SORTED_DIR, index), numbers)


def download_unsorted_files():
    with ThreadPool(DOWNLOAD_THREADS) as pool:
        pool.map(download_one, range(UNSORTED_FILES_COUNT))


def create_sorted_files():
    with Pool(os.cpu_count()) as pool:
        pool.map(sort_one, range(UNSORTED_FILES_COUNT), chunksize=1)


def main():
    create_directories()
    with stopwatch('Files download time'):
        download_unsorted_files()
    with stopwatch('Sorting time'):
        create_sorted_files()


if __name__ == '__main__':
    main()
