import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_COUNT = 8


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def get_list(host, port, number):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((host, port))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'unsorted_files/{number}.txt', 'wb') as f:
        f.write(data)


def fetch_all():
    host, port = SERVER_URL.split(':')
    per_thread, leftover = divmod(UNSORTED_FILES_COUNT, THREAD_COUNT)

    def worker(block):
        for k in block:
            get_list(host, int(port), k)

    pool = []
    begin = 0
    for n in range(THREAD_COUNT):
        finish = begin + per_thread + (1 if n < leftover else 0)
        t = threading.Thread(target=worker, args=(range(begin, finish),))
        pool.append(t)
        t.start()
        begin = finish
    for t in pool:
        t.join()


def sort_group(indices):
    for index in indices:
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = list(map(int, f.read().split(',')))
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))
    return len(indices)


def create_sorted_files():
    cores = os.cpu_count() or 2
    groups = [list(range(c, UNSORTED_FILES_COUNT, cores)) for c in range(cores)]
    with multiprocessing.Pool(cores) as pool:
        total = sum(pool.map(sort_group, groups))
    print(f'{total} lists sorted')


if __name__ == '__main__':
    create_directories()

    t = time.time()
    fetch_all()
    print(f'Files download time: {time.time() - t}')

    t = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - t}')
