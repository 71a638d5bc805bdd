"""Numbers client - Agnieszka Zielinska.

Download: THREADS threads, each one gets its own block of indices.
Sorting: a multiprocessing.Pool, imap_unordered over the indices.
"""
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREADS = 10


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def fetch_list(ip, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, port))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    return data


def download_range(indices):
    ip, port = SERVER_URL.split(':')
    for index in indices:
        data = fetch_list(ip, int(port))
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def split_indices(count, parts):
    size = (count + parts - 1) // parts
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def download_unsorted_files():
    threads = [threading.Thread(target=download_range, args=(block,))
               for block in split_indices(UNSORTED_FILES_COUNT, THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def sort_one(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    processes = min(multiprocessing.cpu_count(), UNSORTED_FILES_COUNT)
    done = 0
    with multiprocessing.Pool(processes) as pool:
        # the order does not matter, every worker writes its own file
        for _ in pool.imap_unordered(sort_one, range(UNSORTED_FILES_COUNT)):
            done += 1
    assert done == UNSORTED_FILES_COUNT, 'some files were not sorted'


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
