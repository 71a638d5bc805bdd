import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
WORKER_THREADS = 12

next_index = 0
index_lock = threading.Lock()


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def get_next_index():
    global next_index
    with index_lock:
        if next_index >= UNSORTED_FILES_COUNT:
            return -1
        current = next_index
        next_index += 1
    return current


def download_worker():
    ip, port = SERVER_URL.split(':')
    while True:
        index = get_next_index()
        if index < 0:
            return
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
    workers = [threading.Thread(target=download_worker) for _ in range(WORKER_THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    pool = multiprocessing.Pool(multiprocessing.cpu_count())
    jobs = []
    for index in range(UNSORTED_FILES_COUNT):
        jobs.append(pool.apply_async(sort_file, (index,)))
    for job in jobs:
        job.get()
    pool.close()
    pool.join()


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
