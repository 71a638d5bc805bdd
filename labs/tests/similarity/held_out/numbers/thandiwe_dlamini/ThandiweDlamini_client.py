"""The numbers lab's given client, written the way the course hands it out.

Sequential: UNSORTED_FILES_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object (the copy grows
with the list, so a 2.6 MB list costs far more than its transfer) and saved
as unsorted_files/<i>.txt; then each file is parsed, sorted and written to
sorted_files/<i>.txt. `labs grade` runs it as the baseline of the download-
improved and sorting-improved items, and as a second client against the
student's server. An instructor can hand the grader the exact copy their
students received instead (`labs grade --given-client FILE`).
"""
import multiprocessing
import os
import socket
import threading
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


class ListDownloader(threading.Thread):
    def __init__(self, index, address):
        super().__init__()
        self.index = index
        self.address = address
        self.data = b''

    def run(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.connect(self.address)
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    break
                self.data += packet

    def save(self):
        with open(f'unsorted_files/{self.index}.txt', 'wb') as f:
            f.write(self.data)


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    downloaders = [ListDownloader(i, (ip, int(port))) for i in range(UNSORTED_FILES_COUNT)]
    for d in downloaders:
        d.start()
    for d in downloaders:
        d.join()
        d.save()


def sort_file(source, target):
    with open(source) as f:
        numbers = [int(token) for token in f.read().split(',')]
    numbers.sort()
    with open(target, 'w') as f:
        f.write(','.join(map(str, numbers)))


def create_sorted_files():
    pairs = [(f'unsorted_files/{i}.txt', f'sorted_files/{i}.txt')
             for i in range(UNSORTED_FILES_COUNT)]
    with multiprocessing.Pool(os.cpu_count()) as pool:
        pool.starmap(sort_file, pairs)


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
