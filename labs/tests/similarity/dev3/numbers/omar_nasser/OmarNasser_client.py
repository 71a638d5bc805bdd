import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
WORKER_THREADS = 8
SORT_PROCESSES = 2


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def receive_list(address):
    """Connect, read until the server closes, return the raw bytes."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect(address)
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    return data


def download_worker(jobs, address):
    # take indices until the queue is empty
    while True:
        try:
            index = jobs.get_nowait()
        except queue.Empty:
            return
        data = receive_list(address)
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)
        jobs.task_done()


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    address = (ip, int(port))
    jobs = queue.Queue()
    for index in range(UNSORTED_FILES_COUNT):
        jobs.put(index)
    workers = []
    for _ in range(WORKER_THREADS):
        worker = threading.Thread(target=download_worker, args=(jobs, address))
        worker.start()
        workers.append(worker)
    for worker in workers:
        worker.join()


def sort_file(source, target):
    """Read one unsorted file and write its numbers sorted to target."""
    with open(source) as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(target, 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    tasks = [(f'unsorted_files/{i}.txt', f'sorted_files/{i}.txt')
             for i in range(UNSORTED_FILES_COUNT)]
    with Pool(SORT_PROCESSES) as pool:
        pool.starmap(sort_file, tasks)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
