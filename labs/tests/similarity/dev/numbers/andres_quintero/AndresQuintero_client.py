import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'


def path(folder, index):
    return os.path.join(folder, f'{index}.txt')


def read_all(sock):
    data = b''
    while True:
        packet = sock.recv(CLIENT_BUFFER)
        if not packet:
            break
        data += packet
    return data


def parse(text):
    return [int(token) for token in text.split(',')]


def sort_range(indices):
    for index in indices:
        with open(path(UNSORTED_DIR, index)) as f:
            numbers = parse(f.read())
        numbers.sort()
        with open(path(SORTED_DIR, index), 'w') as f:
            f.write(','.join(map(str, numbers)))


class NumbersClient:
    def __init__(self, url, count, threads=10):
        host, port = url.split(':')
        self.address = (host, int(port))
        self.count = count
        self.threads = threads

    def prepare(self):
        for folder in (UNSORTED_DIR, SORTED_DIR):
            os.makedirs(folder, exist_ok=True)

    def fetch(self, index):
        with socket.create_connection(self.address) as sock:
            data = read_all(sock)
        with open(path(UNSORTED_DIR, index), 'wb') as f:
            f.write(data)

    def fetch_many(self, indices):
        for index in indices:
            self.fetch(index)

    def download(self):
        groups = [range(i, self.count, self.threads) for i in range(self.threads)]
        workers = [threading.Thread(target=self.fetch_many, args=(g,)) for g in groups]
        for w in workers:
            w.start()
        for w in workers:
            w.join()

    def sort(self):
        cores = os.cpu_count() or 1
        groups = [range(i, self.count, cores) for i in range(cores)]
        procs = [multiprocessing.Process(target=sort_range, args=(g,)) for g in groups]
        for p in procs:
            p.start()
        for p in procs:
            p.join()


def main():
    client = NumbersClient(SERVER_URL, UNSORTED_FILES_COUNT)
    client.prepare()

    started = time.time()
    client.download()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    client.sort()
    print(f'Sorting time: {time.time() - started}')


if __name__ == '__main__':
    main()
