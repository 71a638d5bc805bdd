import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def get(index):
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


def sort(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = sorted(int(t) for t in f.read().split(','))
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


if __name__ == '__main__':
    create_directories()

    started = time.time()
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(get, range(UNSORTED_FILES_COUNT)))
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    with Pool() as p:
        p.map(sort, range(UNSORTED_FILES_COUNT))
    print(f'Sorting time: {time.time() - started}')
