import os
import socket
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def download(i):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'unsorted_files/{i}.txt', 'wb') as f:
        f.write(data)


def sort(i):
    with open(f'unsorted_files/{i}.txt') as f:
        nums = sorted(map(int, f.read().split(',')))
    with open(f'sorted_files/{i}.txt', 'w') as f:
        f.write(','.join(map(str, nums)))


if __name__ == '__main__':
    for d in ('unsorted_files', 'sorted_files'):
        os.makedirs(d, exist_ok=True)

    started = time.time()
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(download, range(UNSORTED_FILES_COUNT)))
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    with ProcessPoolExecutor(os.cpu_count()) as ex:
        list(ex.map(sort, range(UNSORTED_FILES_COUNT)))
    print(f'Sorting time: {time.time() - started}')
