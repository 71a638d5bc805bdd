import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

HOST_AND_PORT = '127.0.0.1:12345'
READ_SIZE = 1024
UNSORTED_FILES_COUNT = 100
N_THREADS = 8


def make_dirs():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)


def fetcher(todo, host, port_num):
    while True:
        try:
            k = todo.get_nowait()
        except queue.Empty:
            return
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, port_num))
            payload = b''
            while True:
                part = conn.recv(READ_SIZE)
                if not part:
                    break
                payload += part
        with open(f'unsorted_files/{k}.txt', 'wb') as out:
            out.write(payload)
        todo.task_done()


def fetch_lists():
    host, port_num = HOST_AND_PORT.split(':')
    todo = queue.Queue()
    for k in range(UNSORTED_FILES_COUNT):
        todo.put(k)
    fetchers = [threading.Thread(target=fetcher, args=(todo, host, int(port_num)))
                for _ in range(N_THREADS)]
    for th in fetchers:
        th.start()
    todo.join()


def order_list(k):
    with open(f'unsorted_files/{k}.txt') as inp:
        values = [int(item) for item in inp.read().split(',')]
    values.sort()
    with open(f'sorted_files/{k}.txt', 'w') as out:
        out.write(','.join(map(str, values)))
    return k


def order_all():
    finished = 0
    with Pool(processes=os.cpu_count()) as workers:
        for _ in workers.imap_unordered(order_list, range(UNSORTED_FILES_COUNT)):
            finished += 1
    return finished


if __name__ == '__main__':
    make_dirs()

    t = time.time()
    fetch_lists()
    print(f'Files download time: {time.time() - t}')

    t = time.time()
    order_all()
    print(f'Sorting time: {time.time() - t}')
