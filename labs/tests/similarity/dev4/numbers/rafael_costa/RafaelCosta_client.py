import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


class ListDownloader(threading.Thread):
    def __init__(self, index, address):
        super().__init__()
        self.index = index
        self.address = address
        self.size = 0

    def run(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect(self.address)
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        with open(f'unsorted_files/{self.index}.txt', 'wb') as f:
            f.write(data)
        self.size = len(data)


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    downloaders = []
    for index in range(UNSORTED_FILES_COUNT):
        d = ListDownloader(index, (ip, int(port)))
        d.start()
        downloaders.append(d)
    total = 0
    for d in downloaders:
        d.join()
        total += d.size
    print(f'Downloaded {total / 1e6:.1f} MB')


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    finished = 0
    with Pool(cpu_count()) as pool:
        for _ in pool.imap_unordered(sort_file, range(UNSORTED_FILES_COUNT)):
            finished += 1
    print(f'Sorted {finished} files')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
