import os
import socket
import threading
import time
import multiprocessing

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
NUMBER_OF_THREADS = 5

counter_lock = threading.Lock()
downloaded = 0


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def save_list(index):
    global downloaded
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'unsorted_files/{index}.txt', 'wb') as f:
        f.write(data)
    with counter_lock:
        downloaded += 1


def thread_main(my_indices):
    for index in my_indices:
        save_list(index)


def download_unsorted_files():
    all_indices = list(range(UNSORTED_FILES_COUNT))
    threads = []
    for k in range(NUMBER_OF_THREADS):
        t = threading.Thread(target=thread_main, args=(all_indices[k::NUMBER_OF_THREADS],))
        threads.append(t)
        t.start()
    for t in threads:
        t.join()
    if downloaded != UNSORTED_FILES_COUNT:
        print(f'Warning: only {downloaded} files downloaded')


def sort_list(index):
    with open(f'unsorted_files/{index}.txt') as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(f'sorted_files/{index}.txt', 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    with multiprocessing.Pool(multiprocessing.cpu_count()) as pool:
        job = pool.map_async(sort_list, range(UNSORTED_FILES_COUNT), chunksize=5)
        job.wait()
        if not job.successful():
            print('Sorting failed')


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
