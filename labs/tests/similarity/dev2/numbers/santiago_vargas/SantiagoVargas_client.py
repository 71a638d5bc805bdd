# ------------------------------------------------------------------
# Numbers lab - client
# Santiago Vargas
#
# Changes compared with the given client:
#   * download_unsorted_files(): the lists are downloaded by
#     threads, BATCH_SIZE threads at a time
#   * create_sorted_files(): the files are sorted by a
#     multiprocessing.Pool (one process per core)
# ------------------------------------------------------------------
import os
import socket
import threading
import time
import multiprocessing

# server address, buffer and number of lists (from the given client)
SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

# how many threads download at the same time
BATCH_SIZE = 20
# print extra information while running
DEBUG = True


def create_directories():
    # make the two folders if they don't exist yet
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)
            if DEBUG:
                print(f'[info] created folder {folder}')


def download_one_file(index):
    """Downloads list number `index` and saves it in unsorted_files/."""
    ip, port = SERVER_URL.split(':')
    # connect to the server (it sends the list as soon as we connect)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        # read until the server closes the connection
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    # save the list exactly as it was received
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)
    if DEBUG:
        print(f'[info] list {index} downloaded ({len(data)} bytes)')


def download_unsorted_files():
    """Downloads every list, BATCH_SIZE threads at a time."""
    # go through the indices in steps of BATCH_SIZE
    for first in range(0, UNSORTED_FILES_COUNT, BATCH_SIZE):
        last = min(first + BATCH_SIZE, UNSORTED_FILES_COUNT)
        batch = []
        # start one thread per list of this batch
        for index in range(first, last):
            thread = threading.Thread(target=download_one_file, args=(index,))
            thread.start()
            batch.append(thread)
        # wait for the whole batch before starting the next one
        for thread in batch:
            thread.join()
        if DEBUG:
            print(f'[info] batch {first}-{last - 1} finished')


def sort_one_file(index):
    """Runs in a worker process: sorts one list and saves it."""
    # read the numbers (they are separated by commas)
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    # sort in ascending order
    numbers.sort()
    # write them back in the same format
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    """Sorts all the lists with a pool of processes."""
    # one process per core, not more (handout rule)
    cores = multiprocessing.cpu_count()
    if DEBUG:
        print(f'[info] sorting with {cores} processes')
    with multiprocessing.Pool(processes=cores) as pool:
        # map hands the indices to the processes and waits for all of them
        done = pool.map(sort_one_file, range(UNSORTED_FILES_COUNT))
    if DEBUG:
        print(f'[info] {len(done)} lists sorted')


if __name__ == '__main__':
    # 1) folders
    create_directories()

    # 2) download (threads)
    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    # 3) sorting (processes)
    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
