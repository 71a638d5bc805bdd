import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

results = {}
results_lock = threading.Lock()


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def receive_list(index):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with results_lock:
        results[index] = data


def download_unsorted_files():
    threads = [threading.Thread(target=receive_list, args=(i,))
               for i in range(UNSORTED_FILES_COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index, data in results.items():
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def sort_one_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    with multiprocessing.Pool() as pool:
        pool.map_async(sort_one_file, range(UNSORTED_FILES_COUNT)).wait()


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
