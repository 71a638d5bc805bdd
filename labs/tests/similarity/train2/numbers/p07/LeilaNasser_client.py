import os
import socket
import threading
import time
from multiprocessing import Process, cpu_count

SERVER_ADDRESS = '127.0.0.1:12345'
RECV_BYTES = 1024
UNSORTED_FILES_COUNT = 100
N_DOWNLOADERS = 8


class ListFetcher(threading.Thread):
    def __init__(self, ids):
        super().__init__()
        self.ids = ids
        host, port_str = SERVER_ADDRESS.split(':')
        self.target = (host, int(port_str))

    def pull(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect(self.target)
            buf = b''
            while True:
                piece = conn.recv(RECV_BYTES)
                if not piece:
                    break
                buf += piece
        return buf

    def run(self):
        for n in self.ids:
            buf = self.pull()
            with open(f'unsorted_files/{n}.txt', 'wb') as out:
                out.write(buf)


def prepare_dirs():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)


def fetch_everything():
    fetchers = [ListFetcher(range(k, UNSORTED_FILES_COUNT, N_DOWNLOADERS))
                for k in range(N_DOWNLOADERS)]
    for fetcher in fetchers:
        fetcher.start()
    for fetcher in fetchers:
        fetcher.join()


def sort_share(ids):
    for n in ids:
        with open(f'unsorted_files/{n}.txt') as src:
            values = [int(x) for x in src.read().split(',')]
        values.sort()
        with open(f'sorted_files/{n}.txt', 'w') as dst:
            dst.write(','.join(map(str, values)))


def sort_everything():
    cores = cpu_count()
    procs = []
    for k in range(cores):
        proc = Process(target=sort_share, args=(range(k, UNSORTED_FILES_COUNT, cores),))
        proc.start()
        procs.append(proc)
    for proc in procs:
        proc.join()


if __name__ == '__main__':
    prepare_dirs()

    t_start = time.time()
    fetch_everything()
    print(f'Files download time: {time.time() - t_start}')

    t_start = time.time()
    sort_everything()
    print(f'Sorting time: {time.time() - t_start}')
