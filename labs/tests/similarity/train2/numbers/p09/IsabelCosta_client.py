import multiprocessing
import os
import queue
import socket
import threading
import time

ENDPOINT = '127.0.0.1:12345'
READ_SIZE = 1024
UNSORTED_FILES_COUNT = 100
THREADS = 10


def make_folders():
    for name in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(name):
            os.mkdir(name)


def get_list(n):
    addr, prt = ENDPOINT.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((addr, int(prt)))
        raw = b''
        while True:
            block = conn.recv(READ_SIZE)
            if not block:
                break
            raw += block
    with open(f'unsorted_files/{n}.txt', 'wb') as out:
        out.write(raw)


def consumer(todo):
    while True:
        n = todo.get()
        if n is None:
            todo.task_done()
            return
        get_list(n)
        todo.task_done()


def fetch_lists():
    todo = queue.Queue()
    crew = [threading.Thread(target=consumer, args=(todo,), daemon=True)
            for _ in range(THREADS)]
    for member in crew:
        member.start()
    for n in range(UNSORTED_FILES_COUNT):
        todo.put(n)
    for _ in crew:
        todo.put(None)
    todo.join()


def order_file(src, dst):
    with open(src) as inp:
        values = [int(item) for item in inp.read().split(',')]
    values.sort()
    with open(dst, 'w') as out:
        out.write(','.join(map(str, values)))


def sort_lists():
    tasks = [(f'unsorted_files/{n}.txt', f'sorted_files/{n}.txt')
             for n in range(UNSORTED_FILES_COUNT)]
    with multiprocessing.Pool(os.cpu_count()) as procs:
        procs.starmap(order_file, tasks)


if __name__ == '__main__':
    make_folders()

    t0 = time.time()
    fetch_lists()
    print(f'Files download time: {time.time() - t0}')

    t0 = time.time()
    sort_lists()
    print(f'Sorting time: {time.time() - t0}')
