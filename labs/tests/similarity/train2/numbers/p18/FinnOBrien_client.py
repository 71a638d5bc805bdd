import os
import socket
import threading
import time
import multiprocessing

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
BATCH = 10


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_list(index):
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


def download_unsorted_files():
    # BATCH downloads at a time, wait for the batch, then the next one
    for first in range(0, UNSORTED_FILES_COUNT, BATCH):
        batch = [threading.Thread(target=download_list, args=(i,))
                 for i in range(first, min(first + BATCH, UNSORTED_FILES_COUNT))]
        for t in batch:
            t.start()
        for t in batch:
            t.join()


def sorted_contents(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    return ','.join(map(str, sorted(numbers)))


def create_sorted_files():
    with multiprocessing.Pool(multiprocessing.cpu_count()) as pool:
        results = pool.imap(sorted_contents, range(UNSORTED_FILES_COUNT))
        for index, text in enumerate(results):
            with open(f'sorted_files/{index}.txt', 'w') as f:
                f.write(text)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
