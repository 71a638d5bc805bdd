import os
import socket
import threading
import time
from concurrent.futures import ProcessPoolExecutor

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for d in ('unsorted_files', 'sorted_files'):
        os.makedirs(d, exist_ok=True)


def fetch(i):
    ip, port = SERVER_URL.split(':')
    with socket.create_connection((ip, int(port))) as s:
        data = b''
        while packet := s.recv(CLIENT_BUFFER):
            data += packet
    with open(f'unsorted_files/{i}.txt', 'wb') as f:
        f.write(data)


def download_unsorted_files():
    ts = [threading.Thread(target=fetch, args=(i,)) for i in range(UNSORTED_FILES_COUNT)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def sort_file(i):
    with open(f'unsorted_files/{i}.txt') as f:
        nums = sorted(map(int, f.read().split(',')))
    with open(f'sorted_files/{i}.txt', 'w') as f:
        f.write(','.join(map(str, nums)))


def create_sorted_files():
    with ProcessPoolExecutor(os.cpu_count()) as ex:
        list(ex.map(sort_file, range(UNSORTED_FILES_COUNT)))


if __name__ == '__main__':
    create_directories()
    t0 = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - t0}')
    t0 = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - t0}')
