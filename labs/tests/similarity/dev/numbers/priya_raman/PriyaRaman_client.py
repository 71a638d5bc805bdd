# Numbers lab - client
# Author: Priya Raman
#
# What I changed in the given client:
#  1. download_unsorted_files() starts one thread per list, but at most
#     MAX_THREADS of them talk to the server at the same time.
#  2. create_sorted_files() hands the lists to a multiprocessing.Pool,
#     one process per core.
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
# maximum number of connections open at once
MAX_THREADS = 16


def create_directories():
    # same as in the given client
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_list(index, ip, port, slots):
    # slots is a semaphore, it keeps the number of open connections small
    with slots:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            # keep reading until the server closes the socket
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
    # save the list exactly as it came from the server
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)
    print(f'  list {index} downloaded ({len(data)} bytes)')


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    slots = threading.Semaphore(MAX_THREADS)
    threads = []
    # one thread for every list
    for index in range(UNSORTED_FILES_COUNT):
        t = threading.Thread(target=download_list, args=(index, ip, port, slots))
        threads.append(t)
        t.start()
    # wait for all of them before the sorting starts
    for t in threads:
        t.join()
    print(f'Downloaded {len(threads)} lists')


def sort_list(index):
    # runs in a worker process: read, sort, write
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    # return something small so the parent knows which list is done
    return index


def create_sorted_files():
    # never more processes than cores
    cores = multiprocessing.cpu_count()
    print(f'Sorting with {cores} processes')
    with multiprocessing.Pool(processes=cores) as pool:
        finished = pool.map(sort_list, range(UNSORTED_FILES_COUNT), chunksize=4)
    print(f'Sorted {len(finished)} lists')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
