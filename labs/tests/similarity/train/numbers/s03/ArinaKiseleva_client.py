import multiprocessing
import os
import socket
import threading
import time

URL = '127.0.0.1:12345'
RECV_BYTES = 1024
UNSORTED_FILES_COUNT = 100

IN_FOLDER = 'unsorted_files'
OUT_FOLDER = 'sorted_files'
N_THREADS = 10


def file_name(directory, i):
    return os.path.join(directory, f'{i}.txt')


def receive_everything(conn):
    pieces = []
    while True:
        block = conn.recv(RECV_BYTES)
        if not block:
            return b''.join(pieces)
        pieces.append(block)


def get_numbers(server):
    with socket.create_connection(server) as conn:
        return receive_everything(conn)


def thread_job(server, ids, failures):
    for i in ids:
        try:
            content = get_numbers(server)
        except OSError as err:
            failures.append((i, err))
            continue
        with open(file_name(IN_FOLDER, i), 'wb') as out:
            out.write(content)


def load_lists(total, n_threads):
    ip, port_text = URL.split(':')
    server = (ip, int(port_text))
    failures = []
    groups = [range(k, total, n_threads) for k in range(n_threads)]
    pool = [threading.Thread(target=thread_job, args=(server, group, failures))
            for group in groups]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return failures


def to_ints(raw):
    return [int(item) for item in raw.split(',')]


def order_one(i):
    with open(file_name(IN_FOLDER, i)) as inp:
        values = to_ints(inp.read())
    values.sort()
    with open(file_name(OUT_FOLDER, i), 'w') as out:
        out.write(','.join(map(str, values)))


def order_everything(total):
    procs = min(os.cpu_count() or 1, total)
    size = max(1, total // (procs * 2))
    with multiprocessing.Pool(procs) as p:
        p.map(order_one, range(total), chunksize=size)


def run():
    for directory in (IN_FOLDER, OUT_FOLDER):
        os.makedirs(directory, exist_ok=True)

    t0 = time.time()
    failures = load_lists(UNSORTED_FILES_COUNT, N_THREADS)
    print(f'Files download time: {time.time() - t0}')
    for i, err in failures:
        print(f'Could not get list {i}: {err}')

    t0 = time.time()
    order_everything(UNSORTED_FILES_COUNT)
    print(f'Sorting time: {time.time() - t0}')


if __name__ == '__main__':
    run()
