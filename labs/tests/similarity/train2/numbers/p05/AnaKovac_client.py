import os
import socket
import threading
import time
from multiprocessing import Process, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREADS = 8


class Downloader(threading.Thread):
    def __init__(self, indexes):
        super().__init__()
        self.indexes = indexes
        ip, port = SERVER_URL.split(':')
        self.address = (ip, int(port))

    def receive(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect(self.address)
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        return data

    def run(self):
        for index in self.indexes:
            data = self.receive()
            with open(f'unsorted_files/{index}.txt', 'wb') as f:
                f.write(data)


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    downloaders = [Downloader(range(i, UNSORTED_FILES_COUNT, THREADS)) for i in range(THREADS)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()


def sort_files(indexes):
    for index in indexes:
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = [int(token) for token in f.read().split(',')]
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))


def create_sorted_files():
    n = cpu_count()
    processes = []
    for i in range(n):
        p = Process(target=sort_files, args=(range(i, UNSORTED_FILES_COUNT, n),))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
