import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

ADDRESS_STR = '127.0.0.1:12345'
CHUNK_BYTES = 1024
UNSORTED_FILES_COUNT = 100
N_FETCHERS = 8
N_SORTERS = 2


def make_folders():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)


def pull_numbers(endpoint):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect(endpoint)
        raw = b''
        while True:
            block = sock.recv(CHUNK_BYTES)
            if not block:
                break
            raw += block
    return raw


def fetcher(pending, endpoint):
    # stop as soon as nothing is left to fetch
    while True:
        try:
            n = pending.get_nowait()
        except queue.Empty:
            return
        raw = pull_numbers(endpoint)
        with open(f'unsorted_files/{n}.txt', 'wb') as fp:
            fp.write(raw)
        pending.task_done()


def fetch_everything():
    host, port_s = ADDRESS_STR.split(':')
    endpoint = (host, int(port_s))
    pending = queue.Queue()
    for n in range(UNSORTED_FILES_COUNT):
        pending.put(n)
    fetchers = []
    for _ in range(N_FETCHERS):
        t = threading.Thread(target=fetcher, args=(pending, endpoint))
        t.start()
        fetchers.append(t)
    for t in fetchers:
        t.join()


def order_numbers(src_path, dst_path):
    with open(src_path) as fp:
        values = [int(tok) for tok in fp.read().split(',')]
    values.sort()
    with open(dst_path, 'w') as fp:
        fp.write(','.join(map(str, values)))


def sort_everything():
    pairs = [(f'unsorted_files/{k}.txt', f'sorted_files/{k}.txt')
             for k in range(UNSORTED_FILES_COUNT)]
    with Pool(N_SORTERS) as procs:
        procs.starmap(order_numbers, pairs)


if __name__ == '__main__':
    make_folders()

    t0 = time.time()
    fetch_everything()
    print(f'Files download time: {time.time() - t0}')

    t0 = time.time()
    sort_everything()
    print(f'Sorting time: {time.time() - t0}')
