import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOAD_THREADS = 8

next_index = 0
index_lock = threading.Lock()


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def claim_index():
    """Give the calling thread the next list to download, or -1 when all are taken."""
    global next_index
    with index_lock:
        if next_index >= UNSORTED_FILES_COUNT:
            return -1
        index = next_index
        next_index = next_index + 1
    return index


def receive_list(ip, port, index):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, port))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)


def download_worker():
    ip, port = SERVER_URL.split(':')
    while True:
        index = claim_index()
        if index < 0:
            break
        receive_list(ip, int(port), index)


def download_unsorted_files():
    workers = []
    for _ in range(DOWNLOAD_THREADS):
        worker = threading.Thread(target=download_worker)
        worker.start()
        workers.append(worker)
    for worker in workers:
        worker.join()


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    processes = min(os.cpu_count(), 4)
    with multiprocessing.Pool(processes) as pool:
        pool.map(sort_file, range(UNSORTED_FILES_COUNT), chunksize=5)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
