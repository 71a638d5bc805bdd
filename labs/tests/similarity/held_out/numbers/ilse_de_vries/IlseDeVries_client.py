"""Numbers lab client (Ilse de Vries)

The lists are downloaded by one thread each and kept in memory; the main
thread writes them to unsorted_files/ afterwards. Sorting runs in a process
pool.
"""
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

results = [b''] * UNSORTED_FILES_COUNT


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def fetch(index, address):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect(address)
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    results[index] = data


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    address = (ip, int(port))
    threads = [threading.Thread(target=fetch, args=(i, address))
               for i in range(UNSORTED_FILES_COUNT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for index, data in enumerate(results):
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = list(map(int, f.read().split(',')))
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(str(n) for n in numbers))


def create_sorted_files():
    with multiprocessing.Pool(multiprocessing.cpu_count()) as pool:
        pending = pool.map_async(sort_file, range(UNSORTED_FILES_COUNT))
        pending.get()


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
