import os
import socket
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for d in ('unsorted_files', 'sorted_files'):
        os.makedirs(d, exist_ok=True)


def get(i):
    ip, port = SERVER_URL.split(':')
    with socket.socket() as s:
        s.connect((ip, int(port)))
        data = b''
        while packet := s.recv(CLIENT_BUFFER):
            data += packet
    with open(f'unsorted_files/{i}.txt', 'wb') as f:
        f.write(data)


def srt(i):
    with open(f'unsorted_files/{i}.txt') as f:
        nums = sorted(map(int, f.read().split(',')))
    with open(f'sorted_files/{i}.txt', 'w') as f:
        f.write(','.join(map(str, nums)))


if __name__ == '__main__':
    create_directories()

    started = time.time()
    with ThreadPool(16) as tp:
        for _ in tp.imap_unordered(get, range(UNSORTED_FILES_COUNT)):
            pass
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    with Pool(os.cpu_count()) as p:
        p.map(srt, range(UNSORTED_FILES_COUNT))
    print(f'Sorting time: {time.time() - started}')
