"""Numbers lab client (Nikolai Pavlov).

What I changed in the given client:
1. The download is done by several threads. The lists are downloaded in
   groups of THREADS_AT_ONCE, every list in its own thread.
2. The sorting is done by a multiprocessing.Pool, every file is sorted in
   a separate process (not more processes than cores).
"""
import multiprocessing
import os
import socket
import threading
import time

# where the server is
SERVER_URL = '127.0.0.1:12345'
# size of one recv
CLIENT_BUFFER = 1024
# number of lists to download (the grader changes this number)
UNSORTED_FILES_COUNT = 100
# how many downloads run at the same time
THREADS_AT_ONCE = 20


def create_directories():
    # both folders are created if they are missing
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)
            print(f'Created folder {folder}')


def download_one_file(index):
    # this runs in a thread: one connection, one list
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        # the server closes the connection when the list is complete
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    # write the list exactly as we got it
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)


def download_unsorted_files():
    # go through the lists group by group
    for group_start in range(0, UNSORTED_FILES_COUNT, THREADS_AT_ONCE):
        group_end = min(group_start + THREADS_AT_ONCE, UNSORTED_FILES_COUNT)
        threads = []
        # start one thread for every list of the group
        for index in range(group_start, group_end):
            thread = threading.Thread(target=download_one_file, args=(index,))
            threads.append(thread)
            thread.start()
        # wait until the whole group is downloaded
        for thread in threads:
            thread.join()
        print(f'Downloaded lists {group_start}..{group_end - 1}')


def sort_one_file(index):
    # this runs in a worker process
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    # ascending order
    numbers.sort()
    # same format as the input: numbers separated by commas
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    # number of processes = number of cores
    cores = os.cpu_count()
    print(f'Sorting with {cores} processes')
    with multiprocessing.Pool(processes=cores) as pool:
        # map_async returns at once, get() waits for all the results
        result = pool.map_async(sort_one_file, range(UNSORTED_FILES_COUNT))
        result.get()


if __name__ == '__main__':
    create_directories()

    # phase 1: download
    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    # phase 2: sorting
    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
