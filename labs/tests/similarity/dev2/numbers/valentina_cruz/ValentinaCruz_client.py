"""Valentina Cruz - client for the numbers lab.

Every thread downloads its own group of lists; sorting is done by a
pool of processes.
"""
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

SRV_ADDRESS = '127.0.0.1:12345'
READ_BYTES = 1024
UNSORTED_FILES_COUNT = 100
THREAD_AMOUNT = 10


def make_folders():
    for dirname in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(dirname):
            os.mkdir(dirname)


def pull_list(host, port_no, idx):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, port_no))
        received = b''
        while True:
            chunk = conn.recv(READ_BYTES)
            if not chunk:
                break
            received += chunk
    with open(f'unsorted_files/{idx}.txt', 'wb') as handle:
        handle.write(received)


def pull_many(host, port_no, idx_list):
    for idx in idx_list:
        pull_list(host, port_no, idx)


def divide(seq, parts):
    # near-equal consecutive pieces
    base, extra = divmod(len(seq), parts)
    return [seq[j * base + min(j, extra):(j + 1) * base + min(j + 1, extra)]
            for j in range(parts)]


def get_all_lists():
    host, port_no = SRV_ADDRESS.split(':')
    all_idx = list(range(UNSORTED_FILES_COUNT))
    workers = []
    for group in divide(all_idx, THREAD_AMOUNT):
        if not group:
            continue
        w = threading.Thread(target=pull_many, args=(host, int(port_no), group))
        workers.append(w)
        w.start()
    for w in workers:
        w.join()


def order_list(idx):
    with open(f'unsorted_files/{idx}.txt') as handle:
        values = [int(tok) for tok in handle.read().split(',')]
    values.sort()
    with open(f'sorted_files/{idx}.txt', 'w') as handle:
        handle.write(','.join(map(str, values)))
    return idx


def sort_all():
    with Pool(processes=cpu_count()) as procs:
        results = list(procs.imap(order_list, range(UNSORTED_FILES_COUNT)))
    if len(results) != UNSORTED_FILES_COUNT:
        raise RuntimeError('not every list got sorted')


if __name__ == '__main__':
    make_folders()

    t_start = time.time()
    get_all_lists()
    print(f'Files download time: {time.time() - t_start}')

    t_start = time.time()
    sort_all()
    print(f'Sorting time: {time.time() - t_start}')
