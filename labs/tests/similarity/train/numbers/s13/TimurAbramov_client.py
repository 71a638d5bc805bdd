import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
PARALLEL_DOWNLOADS = 8

limit = threading.BoundedSemaphore(PARALLEL_DOWNLOADS)


def create_directories():
    if not os.path.isdir('unsorted_files'):
        os.mkdir('unsorted_files')
    if not os.path.isdir('sorted_files'):
        os.mkdir('sorted_files')


def fetch(index):
    ip, port = SERVER_URL.split(':')
    with limit:
        conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        conn.connect((ip, int(port)))
        parts = []
        while True:
            packet = conn.recv(CLIENT_BUFFER)
            if not packet:
                break
            parts.append(packet)
        conn.close()
    with open('unsorted_files/' + str(index) + '.txt', 'wb') as out:
        out.write(b''.join(parts))


def download_unsorted_files():
    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(UNSORTED_FILES_COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def read_numbers(path):
    with open(path) as file:
        return list(map(int, file.read().split(',')))


def write_numbers(path, numbers):
    with open(path, 'w') as file:
        file.write(','.join(str(n) for n in numbers))


def sort_batch(batch):
    for i in batch:
        numbers = read_numbers('unsorted_files/' + str(i) + '.txt')
        write_numbers('sorted_files/' + str(i) + '.txt', sorted(numbers))


def sort_everything():
    n_cpu = multiprocessing.cpu_count()
    ids = list(range(UNSORTED_FILES_COUNT))
    started_procs = []
    for k in range(n_cpu):
        share = ids[k::n_cpu]
        if not share:
            continue
        p = multiprocessing.Process(target=sort_batch, args=(share,))
        p.start()
        started_procs.append(p)
    for p in started_procs:
        p.join()
        if p.exitcode != 0:
            print(f'Sorting process {p.pid} failed')


def main():
    create_directories()
    t1 = time.time()
    download_unsorted_files()
    t2 = time.time()
    print(f'Files download time: {t2 - t1}')
    sort_everything()
    t3 = time.time()
    print(f'Sorting time: {t3 - t2}')


if __name__ == '__main__':
    main()
