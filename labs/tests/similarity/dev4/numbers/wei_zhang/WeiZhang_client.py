import functools
import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 64 * 1024
UNSORTED_FILES_COUNT = 100
UNSORTED_DIR = 'unsorted_files'
SORTED_DIR = 'sorted_files'


def timed(label):
    """Print how long the decorated function took, in the lab's format."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            started = time.time()
            result = func(*args, **kwargs)
            print(f'{label}: {time.time() - started}')
            return result
        return wrapper
    return decorator


def server_address():
    host, port = SERVER_URL.rsplit(':', 1)
    return host, int(port)


def fetch(address):
    chunks = []
    with socket.create_connection(address) as conn:
        while chunk := conn.recv(CLIENT_BUFFER):
            chunks.append(chunk)
    return b''.join(chunks)


def save(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def fetch_into(address, indices):
    for index in indices:
        save(os.path.join(UNSORTED_DIR, f'{index}.txt'), fetch(address))


@timed('Files download time')
def download_all(threads=8):
    address = server_address()
    workers = [threading.Thread(target=fetch_into,
                                args=(address, range(k, UNSORTED_FILES_COUNT, threads)))
               for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def sort_text(text):
    return ','.join(map(str, sorted(map(int, text.split(',')))))


def sort_file(name):
    with open(os.path.join(UNSORTED_DIR, name)) as src:
        text = src.read()
    with open(os.path.join(SORTED_DIR, name), 'w') as dst:
        dst.write(sort_text(text))


@timed('Sorting time')
def sort_all():
    names = [f'{i}.txt' for i in range(UNSORTED_FILES_COUNT)]
    cores = os.cpu_count() or 1
    with Pool(cores) as pool:
        pool.map(sort_file, names, chunksize=max(1, len(names) // (4 * cores)))


def main():
    for folder in (UNSORTED_DIR, SORTED_DIR):
        os.makedirs(folder, exist_ok=True)
    download_all()
    sort_all()


if __name__ == '__main__':
    main()
