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
    threads = []
    for index in range(UNSORTED_FILES_COUNT):
        thread = threading.Thread(target=download_file, args=(index,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    with Pool(os.cpu_count()) as pool:
        pool.map(sort_file, range(UNSORTED_FILES_COUNT))


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
