# Numbers client (Wiremu Parata)
# - several threads download the lists, taking indices from one shared iterator
# - a process pool sorts the files
import os
import socket
import threading
import time
from multiprocessing import Pool

SERVER_ADDRESS = '127.0.0.1:12345'
RECV_BYTES = 1024
UNSORTED_FILES_COUNT = 100
WORKERS = 12
IN_DIR = 'unsorted_files'
OUT_DIR = 'sorted_files'


def measure(step):
    t = time.time()
    step()
    return time.time() - t


def file_path(folder, number):
    return os.path.join(folder, f'{number}.txt')


def to_ints(text):
    if text:
        return [int(piece) for piece in text.split(',')]
    return []


def sort_list_file(number):
    with open(file_path(IN_DIR, number)) as fh:
        values = to_ints(fh.read())
    values.sort()
    with open(file_path(OUT_DIR, number), 'w') as fh:
        fh.write(','.join(map(str, values)))
    return len(values)


def sort_lists():
    n_proc = min(os.cpu_count() or 1, UNSORTED_FILES_COUNT)
    with Pool(n_proc) as pool:
        sizes = pool.map(
            sort_list_file,
            range(UNSORTED_FILES_COUNT),
            chunksize=4,
        )
    return sum(sizes)


def parse_address():
    host, port = SERVER_ADDRESS.split(':')
    return host, int(port)


def read_socket(endpoint):
    received = bytearray()
    with socket.create_connection(endpoint) as conn:
        while True:
            chunk = conn.recv(RECV_BYTES)
            if not chunk:
                break
            received.extend(chunk)
    return bytes(received)


def download_lists():
    endpoint = parse_address()
    remaining = iter(range(UNSORTED_FILES_COUNT))
    guard = threading.Lock()

    def loop():
        while True:
            # only one thread at a time may advance the iterator
            with guard:
                number = next(remaining, None)
            if number is None:
                break
            content = read_socket(endpoint)
            with open(file_path(IN_DIR, number), 'wb') as fh:
                fh.write(content)

    threads = []
    for k in range(WORKERS):
        threads.append(threading.Thread(target=loop, name=f'dl-{k}'))
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def prepare_dirs():
    for folder in (IN_DIR, OUT_DIR):
        os.makedirs(folder, exist_ok=True)


def run():
    prepare_dirs()
    print(f'Files download time: {measure(download_lists)}')
    print(f'Sorting time: {measure(sort_lists)}')


if __name__ == '__main__':
    run()
