import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREADS = 10


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_range(first, last):
    ip, port = SERVER_URL.split(':')
    for index in range(first, last):
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
    per_thread = UNSORTED_FILES_COUNT // THREADS
    threads = []
    for i in range(THREADS):
        first = i * per_thread
        if i == THREADS - 1:
            last = UNSORTED_FILES_COUNT
        else:
            last = first + per_thread
        t = threading.Thread(target=download_range, args=(first, last))
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
    processes = multiprocessing.cpu_count()
    with multiprocessing.Pool(processes) as pool:
        for _ in pool.imap(sort_one, range(UNSORTED_FILES_COUNT)):
            pass


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
