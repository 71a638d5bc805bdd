"""Numbers lab client - Zeynep Kaya.

Changes compared to the given client:
  1. download: one thread per list, but at most MAX_PARALLEL_DOWNLOADS
     connections are open at the same time (a semaphore guards them);
  2. sorting: a multiprocessing.Pool with as many processes as CPU cores,
     every task sorts one file.
The printed messages are the same as in the given client.
"""
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
# how many connections may be open at once
MAX_PARALLEL_DOWNLOADS = 16

download_slots = threading.Semaphore(MAX_PARALLEL_DOWNLOADS)


def create_directories():
    # both folders must exist before anything is written into them
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            print(f'Creating folder {folder}')
            os.mkdir(folder)


def download_one_file(index):
    """Download list number `index` and save it as unsorted_files/<index>.txt."""
    ip, port = SERVER_URL.split(':')
    # wait for a free slot, then hold it only while the connection is open
    with download_slots:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, int(port)))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    # server closed the connection -> the whole list is here
                    break
                data += packet
    # writing the file does not need the slot anymore
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)


def download_unsorted_files():
    # one thread per list, the semaphore above limits how many talk to the server
    threads = []
    for index in range(UNSORTED_FILES_COUNT):
        thread = threading.Thread(target=download_one_file, args=(index,))
        thread.start()
        threads.append(thread)
    print(f'Started {len(threads)} download threads')
    # wait until every list is on disk
    for thread in threads:
        thread.join()


def sort_one_file(index):
    """Runs in a worker process: read, sort and write one list."""
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return len(numbers)


def create_sorted_files():
    # not more processes than cores, the handout asks for that
    processes = cpu_count()
    print(f'Sorting with {processes} processes')
    with Pool(processes=processes) as pool:
        # chunksize 1: the files are big, so one file per task is fine
        sizes = pool.map(sort_one_file, range(UNSORTED_FILES_COUNT), chunksize=1)
    print(f'Sorted {len(sizes)} files, {sum(sizes)} numbers in total')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
