import os
import socket
import threading
import time
from collections import deque
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOADERS = 12


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_loop(todo, ip, port):
    # deque.popleft is thread safe, so no lock is needed here
    while True:
        try:
            index = todo.popleft()
        except IndexError:
            break
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


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    todo = deque(range(UNSORTED_FILES_COUNT))
    threads = []
    for _ in range(min(DOWNLOADERS, UNSORTED_FILES_COUNT)):
        th = threading.Thread(target=download_loop, args=(todo, ip, int(port)))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    pool = Pool(processes=os.cpu_count())
    results = [pool.apply_async(sort_file, (index,)) for index in range(UNSORTED_FILES_COUNT)]
    for result in results:
        result.get()
    pool.close()
    pool.join()


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
