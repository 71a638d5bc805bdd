import os
import queue
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

HOST_PORT = '127.0.0.1:12345'
BUF = 1024
LISTS_TOTAL = 100
FETCH_THREADS = 8


def prepare_folders():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)


def pull(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        buffer = b''
        while True:
            piece = conn.recv(BUF)
            if not piece:
                break
            buffer += piece
    return buffer


def fetcher(tasks):
    host, port = HOST_PORT.split(':')
    while True:
        num = tasks.get()
        if num is None:
            break
        buffer = pull(host, port)
        with open(f'unsorted_files/{num}.txt', 'wb') as fh:
            fh.write(buffer)


def fetch_all():
    tasks = queue.Queue()
    crew = []
    for _ in range(FETCH_THREADS):
        member = threading.Thread(target=fetcher, args=(tasks,))
        member.start()
        crew.append(member)
    for num in range(LISTS_TOTAL):
        tasks.put(num)
    for _ in crew:
        tasks.put(None)
    for member in crew:
        member.join()


def order_one(num):
    with open(f'unsorted_files/{num}.txt') as fh:
        values = [int(tok) for tok in fh.read().split(',')]
    values.sort()
    with open(f'sorted_files/{num}.txt', 'w') as fh:
        fh.write(','.join(map(str, values)))
    return num


def order_all():
    finished = 0
    with Pool(cpu_count()) as procs:
        for _ in procs.imap_unordered(order_one, range(LISTS_TOTAL)):
            finished += 1
    assert finished == LISTS_TOTAL


if __name__ == '__main__':
    prepare_folders()

    t0 = time.time()
    fetch_all()
    print(f'Files download time: {time.time() - t0}')

    t0 = time.time()
    order_all()
    print(f'Sorting time: {time.time() - t0}')
