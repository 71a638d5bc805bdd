"""The numbers lab's given client, written the way the course hands it out.

Sequential: UNSORTED_FILES_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object (the copy grows
with the list, so a 2.6 MB list costs far more than its transfer) and saved
as unsorted_files/<i>.txt; then each file is parsed, sorted and written to
sorted_files/<i>.txt. `labs grade` runs it as the baseline of the download-
improved and sorting-improved items, and as a second client against the
student's server. An instructor can hand the grader the exact copy their
students received instead (`labs grade --given-client FILE`).
"""
# Camila Restrepo
# Changes:
#  1. download: one thread per list (100 threads), a lock protects the
#     counter of finished downloads that I print
#  2. sorting: a multiprocessing Pool with one process per core, every
#     process sorts whole files
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

# shared between the download threads
finished = 0
finished_lock = threading.Lock()


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_one_file(index, ip, port):
    """Downloads list number `index` and saves it (runs in its own thread)."""
    global finished
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, port))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                # empty packet = the server closed the connection = list complete
                break
            data += packet
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)
    # the += is not atomic, so it needs the lock
    with finished_lock:
        finished += 1
        print(f'  [download] list {index} done ({finished}/{UNSORTED_FILES_COUNT})')


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    port = int(port)
    threads = []
    # create all the threads first
    for index in range(UNSORTED_FILES_COUNT):
        threads.append(threading.Thread(target=download_one_file, args=(index, ip, port)))
    # then start them all, so all the downloads run at the same time
    for thread in threads:
        thread.start()
    # and wait for all of them
    for thread in threads:
        thread.join()


def sort_one_file(index):
    """Reads one unsorted file, sorts it, writes the sorted file (runs in a process)."""
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    # the pid shows that different processes do the work
    print(f'  [sort] list {index} sorted by process {os.getpid()}')


def create_sorted_files():
    # never more processes than cores (the handout says so)
    cores = multiprocessing.cpu_count()
    print(f'  [sort] using {cores} processes')
    with multiprocessing.Pool(processes=cores) as pool:
        # chunksize 5: every process gets 5 files at a time, fewer messages
        pool.map(sort_one_file, range(UNSORTED_FILES_COUNT), chunksize=5)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
