import logging
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

# LOGLEVEL=INFO python3 EmekaNwosu_client.py  shows what every thread does
logging.basicConfig(level=os.environ.get('LOGLEVEL', 'WARNING'),
                    format='[%(levelname)s] %(threadName)s: %(message)s')
logger = logging.getLogger(__name__)


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


def download_worker(tasks, ip, port):
    while True:
        try:
            index = tasks.get_nowait()
        except queue.Empty:
            return
        data = receive_list(ip, port)
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(data)
        logger.info('list %d: %d bytes', index, len(data))
        tasks.task_done()


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    tasks = queue.Queue()
    for index in range(UNSORTED_FILES_COUNT):
        tasks.put(index)
    workers = []
    for n in range(WORKER_THREADS):
        worker = threading.Thread(target=download_worker, args=(tasks, ip, int(port)),
                                  name=f'downloader-{n}')
        worker.start()
        workers.append(worker)
    for worker in workers:
        worker.join()


def sort_one(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))
    return index, len(numbers)


def create_sorted_files():
    with Pool(os.cpu_count()) as pool:
        for index, count in pool.imap_unordered(sort_one, range(UNSORTED_FILES_COUNT)):
            logger.info('sorted list %d (%d numbers)', index, count)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
