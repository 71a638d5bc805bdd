import os
import queue
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
DOWNLOAD_THREADS = 8


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_worker(jobs, ip, port):
    while True:
        try:
            index = jobs.get_nowait()
        except queue.Empty:
            return
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect((ip, port))
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)
        jobs.task_done()


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    jobs = queue.Queue()
    for index in range(UNSORTED_FILES_COUNT):
        jobs.put(index)
    threads = [threading.Thread(target=download_worker, args=(jobs, ip, int(port)))
               for _ in range(DOWNLOAD_THREADS)]
    for t in threads:
        t.start()
    jobs.join()


def sort_file(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index


def create_sorted_files():
    done = 0
    with Pool(processes=os.cpu_count()) as pool:
        for _ in pool.imap_unordered(sort_file, range(UNSORTED_FILES_COUNT)):
            done += 1
    return done


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
