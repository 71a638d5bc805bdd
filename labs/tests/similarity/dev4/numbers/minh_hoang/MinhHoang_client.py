# Minh Hoang - numbers client
# download: thread per list, semaphore limits parallel connections
# sort: lists divided among processes, one per core
import multiprocessing
import os
import socket
import threading
import time

ADDR = '127.0.0.1:12345'
RECV_SIZE = 1024
UNSORTED_FILES_COUNT = 100
PARALLEL = 10

slots = threading.Semaphore(PARALLEL)


def make_dirs():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)
            print(f'Created {d}/')


def grab(n):
    host, port = ADDR.split(':')
    with slots:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(port)))
            raw = b''
            while True:
                chunk = conn.recv(RECV_SIZE)
                if not chunk:
                    break
                raw += chunk
    with open(f'unsorted_files/{n}.txt', 'wb') as fh:
        fh.write(raw)


def grab_all():
    print(f'Starting {UNSORTED_FILES_COUNT} download threads '
          f'({PARALLEL} connections at a time)')
    workers = []
    for n in range(UNSORTED_FILES_COUNT):
        w = threading.Thread(target=grab, args=(n,))
        workers.append(w)
        w.start()
    for w in workers:
        w.join()
    print('Downloads done')


def sort_list(n):
    with open(f'unsorted_files/{n}.txt') as fh:
        nums = [int(x) for x in fh.read().split(',')]
    nums.sort()
    with open(f'sorted_files/{n}.txt', 'w') as fh:
        fh.write(','.join(map(str, nums)))


def process_body(todo):
    for n in todo:
        sort_list(n)


def sort_all():
    n_cpu = os.cpu_count() or 1
    print(f'Sorting with {n_cpu} processes')
    procs = []
    for j in range(n_cpu):
        share = list(range(j, UNSORTED_FILES_COUNT, n_cpu))
        proc = multiprocessing.Process(target=process_body, args=(share,))
        procs.append(proc)
        proc.start()
    for proc in procs:
        proc.join()
    print('Sorting done')


if __name__ == '__main__':
    make_dirs()

    t = time.time()
    grab_all()
    print(f'Files download time: {time.time() - t}')

    t = time.time()
    sort_all()
    print(f'Sorting time: {time.time() - t}')
