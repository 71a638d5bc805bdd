import os, socket, threading, time
from multiprocessing import Pool

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def get(i):
    h, p = SERVER_URL.split(':')
    with socket.create_connection((h, int(p))) as s, open(f'unsorted_files/{i}.txt', 'wb') as f:
        d = b''
        while b := s.recv(CLIENT_BUFFER):
            d += b
        f.write(d)


def srt(i):
    with open(f'unsorted_files/{i}.txt') as f:
        a = sorted(map(int, f.read().split(',')))
    with open(f'sorted_files/{i}.txt', 'w') as f:
        f.write(','.join(map(str, a)))


if __name__ == '__main__':
    for d in ('unsorted_files', 'sorted_files'):
        os.makedirs(d, exist_ok=True)
    t = time.time()
    th = [threading.Thread(target=get, args=(i,)) for i in range(UNSORTED_FILES_COUNT)]
    for x in th: x.start()
    for x in th: x.join()
    print(f'Files download time: {time.time() - t}')
    t = time.time()
    with Pool() as p:
        p.map(srt, range(UNSORTED_FILES_COUNT))
    print(f'Sorting time: {time.time() - t}')
