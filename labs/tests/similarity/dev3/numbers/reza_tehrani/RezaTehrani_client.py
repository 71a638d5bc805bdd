import os
import socket
import sys
import threading
import time
from multiprocessing import Process, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOAD_THREADS = 10


class ListDownloader(threading.Thread):
    def __init__(self, indices, ip, port):
        super().__init__(daemon=True)
        self.indices = indices
        self.ip = ip
        self.port = port
        self.error = None

    def download(self, index):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((self.ip, self.port))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)

    def run(self):
        try:
            for index in self.indices:
                self.download(index)
        except OSError as exc:
            self.error = exc


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    downloaders = [ListDownloader(range(k, UNSORTED_FILES_COUNT, DOWNLOAD_THREADS), ip, int(port))
                   for k in range(DOWNLOAD_THREADS)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
        if d.error is not None:
            sys.exit(f'Download failed: {d.error}')


def sort_files(indices):
    for index in indices:
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = [int(token) for token in f.read().split(',')]
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))


def create_sorted_files():
    workers = cpu_count()
    per_worker = -(-UNSORTED_FILES_COUNT // workers)  # ceil division
    processes = []
    for w in range(workers):
        chunk = range(w * per_worker, min((w + 1) * per_worker, UNSORTED_FILES_COUNT))
        if len(chunk) == 0:
            continue
        p = Process(target=sort_files, args=(chunk,))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f'sorting process {p.pid} failed')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
