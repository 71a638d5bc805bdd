import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
PROCESSES = 2


class Downloader(threading.Thread):
    def __init__(self, index, ip, port):
        super().__init__()
        self.index = index
        self.ip = ip
        self.port = port
        self.data = b''

    def run(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((self.ip, self.port))
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                self.data += packet

    def save(self):
        with open(f'unsorted_files/{self.index}.txt', 'wb') as f:
            f.write(self.data)


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    downloaders = [Downloader(index, ip, int(port)) for index in range(UNSORTED_FILES_COUNT)]
    for downloader in downloaders:
        downloader.start()
    for downloader in downloaders:
        downloader.join()
        downloader.save()


def sort_file(source, target):
    with open(source) as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(target, 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    jobs = [(f'unsorted_files/{i}.txt', f'sorted_files/{i}.txt')
            for i in range(UNSORTED_FILES_COUNT)]
    with Pool(min(PROCESSES, os.cpu_count())) as pool:
        pool.starmap(sort_file, jobs)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
