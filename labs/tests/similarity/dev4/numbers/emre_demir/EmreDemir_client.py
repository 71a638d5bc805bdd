import os
import socket
import threading
import time
from multiprocessing import Pool

ADDRESS = '127.0.0.1:12345'
RECV_BYTES = 1024
UNSORTED_FILES_COUNT = 100


def make_folders():
    for dir_name in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(dir_name):
            os.mkdir(dir_name)


def fetch_list(n):
    host, port_text = ADDRESS.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port_text)))
        buf = b''
        while True:
            piece = conn.recv(RECV_BYTES)
            if not piece:
                break
            buf += piece
    with open(f'unsorted_files/{n}.txt', 'wb') as out:
        out.write(buf)


def fetch_all_lists():
    workers = []
    for n in range(UNSORTED_FILES_COUNT):
        worker = threading.Thread(target=fetch_list, args=(n,))
        worker.start()
        workers.append(worker)
    for worker in workers:
        worker.join()


def order_list(n):
    with open(f'unsorted_files/{n}.txt') as src:
        values = [int(item) for item in src.read().split(',')]
    values.sort()
    with open(f'sorted_files/{n}.txt', 'w') as dst:
        dst.write(','.join(map(str, values)))


def order_all_lists():
    with Pool(os.cpu_count()) as procs:
        procs.map(order_list, range(UNSORTED_FILES_COUNT))


if __name__ == '__main__':
    make_folders()

    t = time.time()
    fetch_all_lists()
    print(f'Files download time: {time.time() - t}')

    t = time.time()
    order_all_lists()
    print(f'Sorting time: {time.time() - t}')
