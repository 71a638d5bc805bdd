# ------------------------------------------------------------
#  Numbers client  -  Arjun Mehta
#
#  1) download: one thread per list, but a semaphore lets only
#     MAX_CONNECTIONS of them talk to the server at the same time
#  2) sorting: the lists are split between worker processes
#     (multiprocessing.Process), one process per CPU core
# ------------------------------------------------------------
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
MAX_CONNECTIONS = 10   # how many downloads may run at once

# shared by all download threads
connection_slots = threading.Semaphore(MAX_CONNECTIONS)


def create_directories():
    # make both output folders if they are not there yet
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)
            print(f'Created {folder}/')


def download_one(index):
    # wait for a free slot, then download list number `index`
    ip, port = SERVER_URL.split(':')
    with connection_slots:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            # read until the server closes the connection
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
    # save the list exactly as it came from the server
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)


def download_unsorted_files():
    print(f'Starting {UNSORTED_FILES_COUNT} download threads '
          f'({MAX_CONNECTIONS} connections at a time)')
    threads = []
    for index in range(UNSORTED_FILES_COUNT):
        t = threading.Thread(target=download_one, args=(index,))
        threads.append(t)
        t.start()
    # wait until every list is on disk
    for t in threads:
        t.join()
    print('All downloads finished')


def sort_one(index):
    # read, sort, write back in the same comma format
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def sort_worker(indices):
    # every process sorts its own part of the lists
    for index in indices:
        sort_one(index)


def create_sorted_files():
    cores = os.cpu_count() or 1
    print(f'Sorting with {cores} processes')
    processes = []
    for k in range(cores):
        # process k gets lists k, k + cores, k + 2 * cores, ...
        part = list(range(k, UNSORTED_FILES_COUNT, cores))
        p = multiprocessing.Process(target=sort_worker, args=(part,))
        processes.append(p)
        p.start()
    for p in processes:
        p.join()
    print('All lists sorted')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
