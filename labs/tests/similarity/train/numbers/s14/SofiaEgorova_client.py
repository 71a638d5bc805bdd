import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'
THREAD_COUNT = 10


def path_of(folder, index):
    return os.path.join(folder, f'{index}.txt')


def read_all(sock):
    chunks = []
    while True:
        packet = sock.recv(CLIENT_BUFFER)
        if not packet:
            return b''.join(chunks)
        chunks.append(packet)


def fetch_list(address):
    with socket.create_connection(address) as sock:
        return read_all(sock)


def download_part(address, indices, errors):
    for index in indices:
        try:
            data = fetch_list(address)
        except OSError as exc:
            errors.append((index, exc))
            continue
        with open(path_of(UNSORTED_DIR, index), 'wb') as f:
            f.write(data)


def download_all(count, thread_count):
    host, port = SERVER_URL.split(':')
    address = (host, int(port))
    errors = []
    parts = [range(i, count, thread_count) for i in range(thread_count)]
    threads = [threading.Thread(target=download_part, args=(address, part, errors))
               for part in parts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def parse(text):
    return [int(token) for token in text.split(',')]


def sort_list(index):
    with open(path_of(UNSORTED_DIR, index)) as f:
        numbers = parse(f.read())
    numbers.sort()
    with open(path_of(SORTED_DIR, index), 'w') as f:
        f.write(','.join(map(str, numbers)))


def sort_all(count):
    workers = min(os.cpu_count() or 1, count)
    chunk = max(1, count // (workers * 2))
    with multiprocessing.Pool(workers) as pool:
        pool.map(sort_list, range(count), chunksize=chunk)


def main():
    for folder in (UNSORTED_DIR, SORTED_DIR):
        os.makedirs(folder, exist_ok=True)

    started = time.time()
    errors = download_all(UNSORTED_FILES_COUNT, THREAD_COUNT)
    print(f'Files download time: {time.time() - started}')
    for index, exc in errors:
        print(f'List {index} could not be downloaded: {exc}')

    started = time.time()
    sort_all(UNSORTED_FILES_COUNT)
    print(f'Sorting time: {time.time() - started}')


if __name__ == '__main__':
    main()
