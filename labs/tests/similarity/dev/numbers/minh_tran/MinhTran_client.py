# Faster numbers client (Minh Tran): threaded download with a cap on
# simultaneous connections, sorting spread over a process pool.
import multiprocessing
import os
import random
import socket
import threading
import time

ENDPOINT = "127.0.0.1:12345"
READ_SIZE = 1024
TOTAL_LISTS = 100
THREAD_LIMIT = 16
SHOW_DEBUG = True


def sort_lists():
    n_cpu = multiprocessing.cpu_count()
    print(f"Sorting with {n_cpu} processes")
    with multiprocessing.Pool(processes=n_cpu) as workers:
        completed = workers.map(order_list,
                                range(TOTAL_LISTS),
                                chunksize=4)
    print(f"Sorted {len(completed)} lists")


def order_list(num):
    with open(f"unsorted_files/{num}.txt") as src:
        values = [int(item) for item in src.read().split(",")]
    values.sort()
    with open(f"sorted_files/{num}.txt", "w") as out:
        out.write(",".join(map(str, values)))
    return num


def list_size(num):
    return os.path.getsize(f"unsorted_files/{num}.txt")


def fetch_lists():
    host, port = ENDPOINT.split(":")
    guard = threading.Semaphore(THREAD_LIMIT)
    workers = []
    failed = []
    for num in range(TOTAL_LISTS):
        w = threading.Thread(target=grab_list,
                             args=(num, host, port, guard))
        workers.append(w)
        w.start()
    if SHOW_DEBUG:
        print("debug: threads started =", len(workers))
    for w in workers:
        w.join()
    print(f"Downloaded {len(workers)} lists")


def grab_list(num, host, port, guard):
    with guard:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.connect((host, int(port)))
            content = b""
            while True:
                chunk = sock.recv(READ_SIZE)
                if not chunk:
                    break
                content += chunk

    with open(f"unsorted_files/{num}.txt", "wb") as out:
        out.write(content)
    print(f"  list {num} downloaded ({len(content)} bytes)")


def make_dirs():
    for dirname in ("unsorted_files", "sorted_files"):
        if not os.path.exists(dirname):
            os.mkdir(dirname)


if __name__ == "__main__":
    make_dirs()

    t_start = time.time()
    fetch_lists()
    print(f"Files download time: {time.time() - t_start}")

    t_start = time.time()
    sort_lists()
    print(f"Sorting time: {time.time() - t_start}")
