import os
import socket
import threading
import time
from multiprocessing import Pool

ADDR = '127.0.0.1:12345'
CHUNK = 1024
UNSORTED_FILES_COUNT = 100
N_THREADS = 10


def make_folders():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)


def fetch_block(first, after_last):
    host, prt = ADDR.split(':')
    for n in range(first, after_last):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(prt)))
            buf = b''
            while True:
                piece = conn.recv(CHUNK)
                if not piece:
                    break
                buf += piece
        with open(f'unsorted_files/{n}.txt', 'wb') as out:
            out.write(buf)


def fetch_everything():
    per_thread = -(-UNSORTED_FILES_COUNT // N_THREADS)
    workers = []
    for first in range(0, UNSORTED_FILES_COUNT, per_thread):
        after_last = min(first + per_thread, UNSORTED_FILES_COUNT)
        workers.append(threading.Thread(target=fetch_block, args=(first, after_last)))
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def order_file(n):
    with open(f'unsorted_files/{n}.txt') as src:
        values = [int(tok) for tok in src.read().split(',')]
    values.sort()
    with open(f'sorted_files/{n}.txt', 'w') as dst:
        dst.write(','.join(map(str, values)))
    return n


def sort_everything():
    nproc = min(os.cpu_count(), 4)
    with Pool(nproc) as pp:
        finished = list(pp.imap(order_file, range(UNSORTED_FILES_COUNT), chunksize=4))
    assert len(finished) == UNSORTED_FILES_COUNT


if __name__ == '__main__':
    make_folders()

    t0 = time.time()
    fetch_everything()
    print(f'Files download time: {time.time() - t0}')

    t0 = time.time()
    sort_everything()
    print(f'Sorting time: {time.time() - t0}')
