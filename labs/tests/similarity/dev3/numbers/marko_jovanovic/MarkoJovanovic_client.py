"""Numbers lab client: parallel download and parallel sort.

Marko Jovanovic
"""
import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_COUNT = 12
UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'


def server_address():
    ip, port = SERVER_URL.split(':')
    return ip, int(port)


def path_of(folder, index):
    return os.path.join(folder, f'{index}.txt')


def create_directories():
    for folder in (UNSORTED_DIR, SORTED_DIR):
        os.makedirs(folder, exist_ok=True)


def receive_all(address):
    buffer = bytearray()
    with socket.create_connection(address) as s:
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            buffer.extend(packet)
    return bytes(buffer)


def download_unsorted_files():
    address = server_address()
    indices = iter(range(UNSORTED_FILES_COUNT))
    lock = threading.Lock()

    def worker():
        # threads share one iterator; the lock makes next() safe
        while True:
            with lock:
                index = next(indices, None)
            if index is None:
                break
            data = receive_all(address)
            with open(path_of(UNSORTED_DIR, index), 'wb') as f:
                f.write(data)

    threads = [threading.Thread(target=worker, name=f'dl-{n}') for n in range(THREAD_COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def parse(text):
    if not text:
        return []
    return [int(token) for token in text.split(',')]


def sort_file(index):
    with open(path_of(UNSORTED_DIR, index)) as f:
        numbers = parse(f.read())
    numbers.sort()
    with open(path_of(SORTED_DIR, index), 'w') as f:
        f.write(','.join(map(str, numbers)))
    return len(numbers)


def create_sorted_files():
    process_count = min(os.cpu_count() or 1, UNSORTED_FILES_COUNT)
    with Pool(process_count) as pool:
        counts = pool.map(sort_file, range(UNSORTED_FILES_COUNT), chunksize=4)
    return sum(counts)


def timed(action):
    started = time.time()
    action()
    return time.time() - started


def main():
    create_directories()
    print(f'Files download time: {timed(download_unsorted_files)}')
    print(f'Sorting time: {timed(create_sorted_files)}')


if __name__ == '__main__':
    main()
