import multiprocessing
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_WORKERS = 20


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_file(index):
    ip, port = SERVER_URL.split(':')
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
    return index, len(data)


def download_unsorted_files():
    total = 0
    with ThreadPoolExecutor(max_workers=THREAD_WORKERS) as executor:
        futures = [executor.submit(download_file, i) for i in range(UNSORTED_FILES_COUNT)]
        for future in as_completed(futures):
            index, size = future.result()
            total += size
    return total


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    pool = multiprocessing.Pool(multiprocessing.cpu_count())
    results = [pool.apply_async(sort_file, (i,)) for i in range(UNSORTED_FILES_COUNT)]
    for result in results:
        result.get()  # raises if the worker failed
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
