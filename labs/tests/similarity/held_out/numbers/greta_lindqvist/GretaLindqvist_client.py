import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_COUNT = 10


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_range(start, end):
    """Download the lists start .. end - 1, one after the other."""
    ip, port = SERVER_URL.split(':')
    for index in range(start, end):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def download_unsorted_files():
    size = -(-UNSORTED_FILES_COUNT // THREAD_COUNT)  # rounded up
    threads = []
    for start in range(0, UNSORTED_FILES_COUNT, size):
        end = min(start + size, UNSORTED_FILES_COUNT)
        threads.append(threading.Thread(target=download_range, args=(start, end)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def sort_one(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    processes = min(os.cpu_count(), 4)
    with Pool(processes) as pool:
        done = list(pool.imap(sort_one, range(UNSORTED_FILES_COUNT), chunksize=4))
    assert len(done) == UNSORTED_FILES_COUNT


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
