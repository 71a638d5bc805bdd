import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download(index):
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
    ts = [threading.Thread(target=download, args=(i,)) for i in range(UNSORTED_FILES_COUNT)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def sort(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = sorted(map(int, f.read().split(',')))
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    with Pool() as p:
        p.map(sort, range(UNSORTED_FILES_COUNT))


if __name__ == '__main__':
    create_directories()
    t = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - t}')
    t = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - t}')
