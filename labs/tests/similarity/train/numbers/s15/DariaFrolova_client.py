import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 65536
UNSORTED_FILES_COUNT = 100
WORKERS = 16


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        os.makedirs(folder, exist_ok=True)


def receive_list(ip, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect((ip, port))
    received = bytearray()
    while True:
        packet = sock.recv(CLIENT_BUFFER)
        if len(packet) == 0:
            break
        received += packet
    sock.close()
    return bytes(received)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    remaining = list(range(UNSORTED_FILES_COUNT))
    lock = threading.Lock()

    def loop():
        while True:
            with lock:
                if not remaining:
                    return
                index = remaining.pop()
            data = receive_list(ip, int(port))
            with open(f'unsorted_files/{index}.txt', 'wb') as f:
                f.write(data)

    workers = [threading.Thread(target=loop) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def parse_and_sort(text):
    return sorted(int(x) for x in text.split(','))


def create_sorted_files():
    texts = []
    for index in range(UNSORTED_FILES_COUNT):
        with open(f'unsorted_files/{index}.txt') as f:
            texts.append(f.read())
    with Pool(min(4, os.cpu_count())) as pool:
        results = pool.map(parse_and_sort, texts)
    for index, numbers in enumerate(results):
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(str(n) for n in numbers))


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
