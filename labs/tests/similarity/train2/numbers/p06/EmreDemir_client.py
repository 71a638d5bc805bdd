import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
NUM_THREADS = 12

# shared between the download threads: the next list nobody has taken yet
counter_lock = threading.Lock()
next_file = 0


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def get_next_index():
    global next_file
    with counter_lock:
        if next_file >= UNSORTED_FILES_COUNT:
            return -1
        index = next_file
        next_file += 1
    return index


def download_worker():
    ip, port = SERVER_URL.split(':')
    while True:
        index = get_next_index()
        if index == -1:
            break
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
    threads = []
    for _ in range(NUM_THREADS):
        t = threading.Thread(target=download_worker)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


def sort_batch(batch):
    for index in batch:
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = [int(token) for token in f.read().split(',')]
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))
    return len(batch)


def create_sorted_files():
    workers = multiprocessing.cpu_count()
    size = (UNSORTED_FILES_COUNT + workers - 1) // workers
    batches = []
    for start in range(0, UNSORTED_FILES_COUNT, size):
        batches.append(list(range(start, min(start + size, UNSORTED_FILES_COUNT))))
    with multiprocessing.Pool(workers) as pool:
        sorted_count = sum(pool.map(sort_batch, batches))
    if sorted_count != UNSORTED_FILES_COUNT:
        print('Warning: not all files were sorted')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
