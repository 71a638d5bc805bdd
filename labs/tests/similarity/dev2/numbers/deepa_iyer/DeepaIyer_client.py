import os
import socket
import time
import threading
import multiprocessing

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREADS_NUMBER = 10


class Downloader(threading.Thread):
    def __init__(self, indexes):
        threading.Thread.__init__(self)
        self.indexes = indexes
        self.received = {}

    def run(self):
        ip, port = SERVER_URL.split(':')
        for index in self.indexes:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.connect((ip, int(port)))
                data = b''
                while True:
                    packet = s.recv(CLIENT_BUFFER)
                    if not packet:
                        break
                    data += packet
            self.received[index] = len(data)
            with open(f'unsorted_files/{index}.txt', 'wb') as f:
                f.write(data)


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    downloaders = []
    for i in range(THREADS_NUMBER):
        indexes = list(range(i, UNSORTED_FILES_COUNT, THREADS_NUMBER))
        downloaders.append(Downloader(indexes))
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
    received = sum(len(d.received) for d in downloaders)
    if received != UNSORTED_FILES_COUNT:
        print(f'Warning: only {received} files received')


def sort_one_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def sort_part(indexes):
    for index in indexes:
        sort_one_file(index)


def create_sorted_files():
    cores = multiprocessing.cpu_count()
    parts = [[] for _ in range(cores)]
    for index in range(UNSORTED_FILES_COUNT):
        parts[index % cores].append(index)
    processes = []
    for part in parts:
        if len(part) == 0:
            continue
        p = multiprocessing.Process(target=sort_part, args=(part,))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()
    for p in processes:
        if p.exitcode != 0:
            print(f'Process {p.pid} failed with code {p.exitcode}')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
