"""The numbers lab's client with downloader threads and a sorting pool."""
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOADERS = 5


class Downloader(threading.Thread):
    def __init__(self, indices):
        super().__init__()
        self.indices = indices
        ip, port = SERVER_URL.split(':')
        self.address = (ip, int(port))

    def download(self):
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
        for index in self.indices:
            data = self.download()
            with open(f'unsorted_files/{index}.txt', 'wb') as f:
                f.write(data)


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    downloaders = []
    for d in range(DOWNLOADERS):
        downloaders.append(Downloader(list(range(d, UNSORTED_FILES_COUNT, DOWNLOADERS))))
    for downloader in downloaders:
        downloader.start()
    for downloader in downloaders:
        downloader.join()


def sort_file(source, target):
    with open(source) as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(target, 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    jobs = [(f'unsorted_files/{i}.txt', f'sorted_files/{i}.txt')
            for i in range(UNSORTED_FILES_COUNT)]
    with Pool(cpu_count()) as pool:
        pool.starmap(sort_file, jobs)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
