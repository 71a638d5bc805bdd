import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
N_THREADS = 5
N_PROCESSES = os.cpu_count()


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_indices(indices):
    ip, port = SERVER_URL.split(':')
    for index in indices:
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
    threads = [threading.Thread(target=download_indices,
                                args=(range(k, UNSORTED_FILES_COUNT, N_THREADS),))
               for k in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def sorted_text(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    return ','.join(map(str, numbers))


def create_sorted_files():
    with Pool(N_PROCESSES) as pool:
        for index, text in enumerate(pool.imap(sorted_text, range(UNSORTED_FILES_COUNT))):
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
