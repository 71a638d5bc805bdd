import itertools
import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_NUMBER = 6

counter = itertools.count()
counter_lock = threading.Lock()
downloaded = {}


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def receive(ip, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, port))
        chunks = []
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            chunks.append(packet)
    return b''.join(chunks)


def download_thread(ip, port):
    while True:
        with counter_lock:
            index = next(counter)
        if index >= UNSORTED_FILES_COUNT:
            break
        downloaded[index] = receive(ip, port)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    threads = []
    for _ in range(THREAD_NUMBER):
        threads.append(threading.Thread(target=download_thread, args=(ip, int(port))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index, data in downloaded.items():
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def sort_single(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    with Pool(processes=os.cpu_count()) as pool:
        pool.map(sort_single, range(UNSORTED_FILES_COUNT), chunksize=5)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
