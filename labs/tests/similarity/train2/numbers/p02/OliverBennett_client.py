"""Numbers client (Oliver Bennett).

Download: the indices are cut into THREAD_COUNT chunks, one thread per chunk.
Sorting: a multiprocessing pool sorts the files, one file per task.
"""
import math
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_COUNT = 10
PROCESS_COUNT = os.cpu_count() or 1


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    chunk_size = math.ceil(UNSORTED_FILES_COUNT / THREAD_COUNT)
    chunks = [range(start, min(start + chunk_size, UNSORTED_FILES_COUNT))
              for start in range(0, UNSORTED_FILES_COUNT, chunk_size)]

    def work(chunk):
        for index in chunk:
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

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
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
    with multiprocessing.Pool(processes=PROCESS_COUNT) as pool:
        done = sum(1 for _ in pool.imap(sort_one, range(UNSORTED_FILES_COUNT)))
    return done


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
