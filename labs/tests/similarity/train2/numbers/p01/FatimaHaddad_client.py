import os
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing import Pool, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'
DOWNLOAD_THREADS = 12


def unsorted_path(index):
    return os.path.join(UNSORTED_DIR, f'{index}.txt')


def sorted_path(index):
    return os.path.join(SORTED_DIR, f'{index}.txt')


def parse(text):
    return [int(token) for token in text.split(',')]


def serialize(numbers):
    return ','.join(map(str, numbers))


@dataclass
class Stopwatch:
    label: str
    started: float = 0.0

    def __enter__(self):
        self.started = time.time()
        return self

    def __exit__(self, *exc):
        print(f'{self.label}: {time.time() - self.started}')
        return False


class NumbersClient:
    def __init__(self, url, count, threads=DOWNLOAD_THREADS):
        host, port = url.split(':')
        self.address = (host, int(port))
        self.count = count
        self.threads = threads

    @staticmethod
    def prepare():
        for folder in (UNSORTED_DIR, SORTED_DIR):
            os.makedirs(folder, exist_ok=True)

    def fetch(self, index):
        chunks = []
        with socket.create_connection(self.address) as sock:
            while True:
                packet = sock.recv(CLIENT_BUFFER)
                if not packet:
                    break
                chunks.append(packet)
        with open(unsorted_path(index), 'wb') as f:
            f.write(b''.join(chunks))

    def _fetch_many(self, indices):
        for index in indices:
            self.fetch(index)

    def download_all(self):
        groups = [range(k, self.count, self.threads) for k in range(self.threads)]
        workers = [threading.Thread(target=self._fetch_many, args=(g,), name=f'dl-{k}')
                   for k, g in enumerate(groups)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def sort_all(self):
        with Pool(processes=cpu_count()) as pool:
            pool.map(sort_file, range(self.count))


def sort_file(index):
    with open(unsorted_path(index)) as f:
        numbers = parse(f.read())
    numbers.sort()
    with open(sorted_path(index), 'w') as f:
        f.write(serialize(numbers))


def main():
    client = NumbersClient(SERVER_URL, UNSORTED_FILES_COUNT)
    client.prepare()
    with Stopwatch('Files download time'):
        client.download_all()
    with Stopwatch('Sorting time'):
        client.sort_all()


if __name__ == '__main__':
    main()
