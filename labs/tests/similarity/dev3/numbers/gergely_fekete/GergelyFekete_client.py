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
import os
import socket
import time

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100


def create_directories():
    for folder in ('unsorted_files', 'sorted_files'):
        if not os.path.exists(folder):
            os.mkdir(folder)


def download_unsorted_files():
    ip, port = SERVER_URL.split(':')
    for index in range(UNSORTED_FILES_COUNT):
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


def create_sorted_files():
    for index in range(UNSORTED_FILES_COUNT):
        with open(f'unsorted_files/{index}.txt') as f:
            numbers = [int(token) for token in f.read().split(',')]
        numbers.sort()
        with open(f'sorted_files/{index}.txt', 'w') as f:
            f.write(','.join(map(str, numbers)))


if __name__ == '__main__':
    create_directories()

    started = time.time()
    download_unsorted_files()
    print(f'Files download time: {time.time() - started}')

    started = time.time()
    create_sorted_files()
    print(f'Sorting time: {time.time() - started}')
