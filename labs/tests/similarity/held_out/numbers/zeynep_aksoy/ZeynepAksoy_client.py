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
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREADS = 10


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def receive_list(ip, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, port))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    return data


def download_part(offset):
    # thread number `offset` downloads offset, offset + THREADS, offset + 2 * THREADS, ...
    ip, port = SERVER_URL.split(':')
    for index in range(offset, UNSORTED_FILES_COUNT, THREADS):
        data = receive_list(ip, int(port))
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)


def download_unsorted_files():
    threads = []
    for offset in range(THREADS):
        t = threading.Thread(target=download_part, args=(offset,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


def sort_part(indices):
    for index in indices:
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = [int(token) for token in f.read().split(',')]
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))


def create_sorted_files():
    # one process per core, each one sorts every n-th file
    cores = multiprocessing.cpu_count()
    indices = list(range(UNSORTED_FILES_COUNT))
    processes = []
    for n in range(cores):
        p = multiprocessing.Process(target=sort_part, args=(indices[n::cores],))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
