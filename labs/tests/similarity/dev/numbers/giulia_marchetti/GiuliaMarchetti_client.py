"""Numbers lab client by Giulia Marchetti: threaded download, parallel sorting."""
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


def fetch_one(ip, port, index):
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


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    size, extra = divmod(UNSORTED_FILES_COUNT, THREADS)

    def run(chunk):
        for j in chunk:
            fetch_one(ip, int(port), j)

    threads = []
    start = 0
    for i in range(THREADS):
        end = start + size + (1 if i < extra else 0)
        thread = threading.Thread(target=run, args=(range(start, end),))
        threads.append(thread)
        thread.start()
        start = end
    for thread in threads:
        thread.join()


def sort_one(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = sorted(int(token) for token in f.read().split(','))
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    processes = min(multiprocessing.cpu_count(), UNSORTED_FILES_COUNT)
    with multiprocessing.Pool(processes) as pool:
        for _ in pool.imap(sort_one, range(UNSORTED_FILES_COUNT)):
            pass


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
