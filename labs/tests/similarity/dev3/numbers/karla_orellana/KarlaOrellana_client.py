# Karla Orellana - client for the numbers lab
import os
import socket
import threading
import time
from multiprocessing import Process, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def fetch(index, results):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    results[index] = data


def download_unsorted_files():
    # every thread puts its list in results[index], the files are written at the end
    results = [None] * UNSORTED_FILES_COUNT
    threads = [threading.Thread(target=fetch, args=(i, results))
               for i in range(UNSORTED_FILES_COUNT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for index, data in enumerate(results):
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def sort_batch(batch):
    for n in batch:
        with open(f'unsorted_files/{n}.txt') as src:
            values = sorted(int(x) for x in src.read().split(','))
        with open(f'sorted_files/{n}.txt', 'w') as dst:
            dst.write(','.join(str(v) for v in values))


def sort_in_processes():
    n_cpu = cpu_count()
    batch = -(-UNSORTED_FILES_COUNT // n_cpu)  # ceil division
    procs = []
    for k in range(n_cpu):
        part = range(k * batch, min((k + 1) * batch, UNSORTED_FILES_COUNT))
        if len(part) == 0:
            continue
        proc = Process(target=sort_batch, args=(part,))
        proc.start()
        procs.append(proc)
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f'sorting process {proc.pid} failed')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    sort_in_processes()
    print(f'Sorting time: {time.time() - started}')
