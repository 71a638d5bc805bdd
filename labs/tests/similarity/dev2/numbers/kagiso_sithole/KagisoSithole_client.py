# Kagiso Sithole - numbers client
# threads for downloading (GROUP at a time), process pool for sorting
import os
import socket
import threading
import time
import multiprocessing

SERVER_ADDR = '127.0.0.1:12345'
PACKET_SIZE = 1024
UNSORTED_FILES_COUNT = 100

GROUP = 20
SHOW_INFO = True


def setup_folders():
    for d in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(d):
            os.mkdir(d)
            if SHOW_INFO:
                print(f'[info] created folder {d}')


def get_list(num):
    """Fetch one list from the server into unsorted_files/<num>.txt"""
    host, port_nr = SERVER_ADDR.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, int(port_nr)))
        raw = b''
        while True:
            part = sock.recv(PACKET_SIZE)
            if not part:
                break
            raw += part
    with open(f'unsorted_files/{num}.txt', 'wb') as fp:
        fp.write(raw)
    if SHOW_INFO:
        print(f'[info] list {num} downloaded ({len(raw)} bytes)')


def get_all():
    """Start GROUP threads, wait for them, start the next GROUP."""
    for lo in range(0, UNSORTED_FILES_COUNT, GROUP):
        hi = min(lo + GROUP, UNSORTED_FILES_COUNT)
        group_threads = []
        for num in range(lo, hi):
            th = threading.Thread(target=get_list, args=(num,))
            th.start()
            group_threads.append(th)
        for th in group_threads:
            th.join()
        if SHOW_INFO:
            print(f'[info] batch {lo}-{hi - 1} finished')


def sort_list(num):
    """Worker process job: sort one file."""
    with open(f'unsorted_files/{num}.txt') as fp:
        vals = [int(t) for t in fp.read().split(',')]
    vals.sort()
    with open(f'sorted_files/{num}.txt', 'w') as fp:
        fp.write(','.join(map(str, vals)))
    return num


def sort_all_lists():
    """Pool with as many processes as cores."""
    ncpu = multiprocessing.cpu_count()
    if SHOW_INFO:
        print(f'[info] sorting with {ncpu} processes')
    with multiprocessing.Pool(processes=ncpu) as pp:
        results = pp.map(sort_list, range(UNSORTED_FILES_COUNT))
    if SHOW_INFO:
        print(f'[info] {len(results)} lists sorted')


if __name__ == '__main__':
    setup_folders()

    t_begin = time.time()
    get_all()
    print(f'Files download time: {time.time() - t_begin}')

    t_begin = time.time()
    sort_all_lists()
    print(f'Sorting time: {time.time() - t_begin}')
