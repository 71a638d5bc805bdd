import os
import socket
import sys
import threading
import time
import multiprocessing

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

downloaded = {}
downloaded_lock = threading.Lock()


def create_directories():
    os.makedirs('unsorted_files', exist_ok=True)
    os.makedirs('sorted_files', exist_ok=True)


def receive(index, address):
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect(address)
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                data += packet
    except OSError as e:
        print(f'list {index}: {e}', file=sys.stderr)
        return
    with downloaded_lock:
        downloaded[index] = data


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    address = (ip, int(port))
    threads = [threading.Thread(target=receive, args=(i, address))
               for i in range(UNSORTED_FILES_COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # write the files from the main thread once everything arrived
    for index in sorted(downloaded):
        with open(f'unsorted_files/{index}.txt', 'wb') as f:
            f.write(downloaded[index])


def sort_list(i):
    with open(f'unsorted_files/{i}.txt') as f:
        content = f.read()
    result = sorted(int(x) for x in content.split(','))
    with open(f'sorted_files/{i}.txt', 'w') as f:
        f.write(','.join(str(x) for x in result))


def sort_bucket(ids):
    for i in ids:
        sort_list(i)


def sort_with_processes():
    n_cpu = multiprocessing.cpu_count()
    buckets = [[] for _ in range(n_cpu)]
    for i in range(UNSORTED_FILES_COUNT):
        buckets[i % n_cpu].append(i)
    procs = []
    for bucket in buckets:
        if len(bucket) == 0:
            continue
        proc = multiprocessing.Process(target=sort_bucket, args=(bucket,))
        proc.start()
        procs.append(proc)
    for proc in procs:
        proc.join()
    for proc in procs:
        if proc.exitcode != 0:
            print(f'Process {proc.pid} failed with code {proc.exitcode}')


if __name__ == '__main__':
    create_directories()

    start = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - start}')

    start = time.time()
    sort_with_processes()
    print(f'Sorting time: {time.time() - start}')
