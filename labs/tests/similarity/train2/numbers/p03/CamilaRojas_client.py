import math
import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
N_THREADS = 8


def create_directories():
    os.makedirs('unsorted_files', exist_ok=True)
    os.makedirs('sorted_files', exist_ok=True)


def fetch_all():
    host, port_text = SERVER_URL.split(':')
    per_thread = math.ceil(UNSORTED_FILES_COUNT / N_THREADS)
    groups = [range(first, min(first + per_thread, UNSORTED_FILES_COUNT))
              for first in range(0, UNSORTED_FILES_COUNT, per_thread)]

    def job(group):
        for i in group:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
                conn.connect((host, int(port_text)))
                received = b''
                while True:
                    block = conn.recv(CLIENT_BUFFER)
                    if not block:
                        break
                    received += block
            with open(f'unsorted_files/{i}.txt', 'wb') as out:
                out.write(received)

    workers = [threading.Thread(target=job, args=(group,)) for group in groups]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def sorted_text(path):
    with open(path) as f:
        values = list(map(int, f.read().split(',')))
    values.sort()
    return ','.join(str(v) for v in values)


def sort_and_save(i):
    text = sorted_text(f'unsorted_files/{i}.txt')
    with open(f'sorted_files/{i}.txt', 'w') as f:
        f.write(text)


def sort_all():
    cores = os.cpu_count() or 2
    pool = Pool(cores)
    try:
        pool.map(sort_and_save, range(UNSORTED_FILES_COUNT), chunksize=4)
    finally:
        pool.close()
        pool.join()


def main():
    create_directories()

    t = time.time()
    fetch_all()
    print(f'Files download time: {time.time() - t}')

    t = time.time()
    sort_all()
    print(f'Sorting time: {time.time() - t}')


if __name__ == '__main__':
    main()
