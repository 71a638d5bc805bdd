# Kofi Boateng - numbers lab client
# threads + a queue for the downloads, a process pool for the sorting
import os
import socket
import threading
import time
from multiprocessing import Pool
from queue import Queue

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
NUM_THREADS = 12
NUM_PROCESSES = os.cpu_count()


def create_directories():
    os.makedirs('unsorted_files', exist_ok=True)
    os.makedirs('sorted_files', exist_ok=True)


def fetcher(todo, host, port_no):
    while True:
        n = todo.get()
        if n is None:
            todo.task_done()
            break
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, port_no))
            received = b''
            while True:
                chunk = conn.recv(CLIENT_BUFFER)
                if not chunk:
                    break
                received += chunk
        with open(f'unsorted_files/{n}.txt', 'wb') as out:
            out.write(received)
        todo.task_done()


def download_unsorted_files():
    host, port = SERVER_URL.split(':')
    todo = Queue()
    for n in range(UNSORTED_FILES_COUNT):
        todo.put(n)
    for _ in range(NUM_THREADS):
        todo.put(None)
    pool = [threading.Thread(target=fetcher, args=(todo, host, int(port)), daemon=True)
            for _ in range(NUM_THREADS)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()


def process_file(n):
    with open(f'unsorted_files/{n}.txt', 'r') as src:
        content = src.read()
    numbers = sorted(int(x) for x in content.split(','))
    result = ','.join(str(x) for x in numbers)
    with open(f'sorted_files/{n}.txt', 'w') as dst:
        dst.write(result)


def create_sorted_files():
    pool = Pool(NUM_PROCESSES)
    pool.map(process_file, range(UNSORTED_FILES_COUNT))
    pool.close()
    pool.join()


def main():
    create_directories()
    start = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - start}')
    start = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - start}')


if __name__ == '__main__':
    main()
