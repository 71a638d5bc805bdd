import math
import multiprocessing
import os
import random
import socket
import threading
import time

SERVER_URL = "127.0.0.1:12345"
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100
THREAD_COUNT = 10
DEBUG = False


def sort_one(index):
    with open(f"unsorted_files/{index}.txt") as f:
        numbers = [int(token) for token in f.read().split(",")]
    numbers.sort()

    with open(f"sorted_files/{index}.txt", "w") as f:
        f.write(",".join(map(str, numbers)))
    return index


def create_sorted_files():
    workers = multiprocessing.cpu_count()
    if DEBUG:
        print("sorting with", workers, "processes")
    with multiprocessing.Pool(workers) as pool:
        done = list(pool.imap(sort_one,
                              range(UNSORTED_FILES_COUNT),
                              chunksize=4))
    assert len(done) == UNSORTED_FILES_COUNT


def is_sorted(index):
    with open(f"sorted_files/{index}.txt") as f:
        values = [int(v) for v in f.read().split(",")]
    return all(a <= b for a, b in zip(values, values[1:]))


def download_unsorted_files():
    size = math.ceil(UNSORTED_FILES_COUNT / THREAD_COUNT)
    threads = [
        threading.Thread(
            target=download_range,
            args=(range(start, min(start + size, UNSORTED_FILES_COUNT)),),
        )
        for start in range(0, UNSORTED_FILES_COUNT, size)
    ]
    if DEBUG:
        print(len(threads), "threads")
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def download_range(indices):
    ip, port = SERVER_URL.split(":")
    for index in indices:
        fetch_list(ip, int(port), index)


def fetch_list(ip, port, index):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, port))
        data = b""
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f"unsorted_files/{index}.txt", "wb") as f:
        f.write(data)


def create_directories():
    for folder in ("unsorted_files", "sorted_files"):
        if not os.path.exists(folder):
            os.mkdir(folder)


if __name__ == "__main__":
    create_directories()
    total_start = time.time()

    started = time.time()
    download_unsorted_files()
    print(f"Files download time: {time.time() - started}")

    started = time.time()
    create_sorted_files()
    print(f"Sorting time: {time.time() - started}")
