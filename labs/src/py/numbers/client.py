"""The numbers lab's given client, sequential, as students receive it.

The grader runs it as the baseline of the timing items: it downloads
LISTS_COUNT lists one connection at a time into unsorted_files/, then sorts
them one after the other into sorted_files/, and prints each phase's time.
"""
import os
import socket
import time

SERVER_HOST = "127.0.0.1"
SERVER_PORT = 12345
LISTS_COUNT = 100
UNSORTED_DIR = "unsorted_files"
SORTED_DIR = "sorted_files"


def download_list(index):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((SERVER_HOST, SERVER_PORT))
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    with open(os.path.join(UNSORTED_DIR, f"{index}.txt"), "wb") as file:
        file.write(b"".join(chunks))


def sort_list(index):
    with open(os.path.join(UNSORTED_DIR, f"{index}.txt")) as file:
        numbers = [int(token) for token in file.read().split(",")]
    numbers.sort()
    with open(os.path.join(SORTED_DIR, f"{index}.txt"), "w") as file:
        file.write(",".join(str(number) for number in numbers))


def main():
    os.makedirs(UNSORTED_DIR, exist_ok=True)
    os.makedirs(SORTED_DIR, exist_ok=True)
    start = time.time()
    for index in range(LISTS_COUNT):
        download_list(index)
    print(f"Files download time: {time.time() - start}")
    start = time.time()
    for index in range(LISTS_COUNT):
        sort_list(index)
    print(f"Sorting time: {time.time() - start}")


if __name__ == "__main__":
    main()
