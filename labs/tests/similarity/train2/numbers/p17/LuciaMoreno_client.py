import os
import socket
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        os.makedirs(folder, exist_ok=True)


def download(index):
    ip, port = SERVER_URL.split(':')
    with socket.create_connection((ip, int(port))) as s:
        data = b''
        while packet := s.recv(CLIENT_BUFFER):
            data += packet
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)


def sort(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = sorted(map(int, f.read().split(',')))
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


if __name__ == '__main__':
    create_directories()

    started = time.time()
    with ThreadPool(20) as tp:
        tp.map(download, range(UNSORTED_FILES_COUNT))
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    with Pool() as p:
        for _ in p.imap_unordered(sort, range(UNSORTED_FILES_COUNT)):
            pass
    print(f'Sorting time: {time.time() - started}')
