import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

SERVER = '127.0.0.1:12345'
BUFSIZE = 1024
UNSORTED_FILES_COUNT = 100


def setup_dirs():
    for name in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(name):
            os.mkdir(name)


def grab(i):
    host, prt = SERVER.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as c:
        c.connect((host, int(prt)))
        buf = b''
        while True:
            piece = c.recv(BUFSIZE)
            if not piece:
                break
            buf += piece
    with open(f'unsorted_files/{i}.txt', 'wb') as out:
        out.write(buf)


def grab_all():
    # start all downloads at once, then wait for them
    ths = []
    for i in range(UNSORTED_FILES_COUNT):
        th = threading.Thread(target=grab, args=(i,))
        ths.append(th)
        th.start()
    for th in ths:
        th.join()


def sort_one_list(i):
    with open(f'unsorted_files/{i}.txt') as out:
        nums = [int(t) for t in out.read().split(',')]
    nums.sort()
    with open(f'sorted_files/{i}.txt', 'w') as out:
        out.write(','.join(map(str, nums)))


def sort_all():
    # one process per core does the sorting
    with Pool(processes=cpu_count()) as p:
        p.map(sort_one_list, range(UNSORTED_FILES_COUNT))


if __name__ == '__main__':
    setup_dirs()

    start_time = time.time()
    grab_all()
    print(f'Files download time: {time.time() - start_time}')

    start_time = time.time()
    sort_all()
    print(f'Sorting time: {time.time() - start_time}')
