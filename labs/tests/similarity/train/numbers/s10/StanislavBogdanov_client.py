import multiprocessing
import os
import socket
import threading
import time

ADDRESS = "127.0.0.1:12345"
BUF = 1024
UNSORTED_FILES_COUNT = 100
WORKER_THREADS = 10


def sort_list(n):
    with open(f"unsorted_files/{n}.txt") as src:
        values = [int(x) for x in src.read().split(",")]
    values.sort()
    with open(f"sorted_files/{n}.txt", "w") as dst:
        dst.write(",".join(map(str, values)))
    return n


def get_lists(lo, hi):
    host, port = ADDRESS.split(":")
    for n in range(lo, hi):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(port)))
            received = b""
            while True:
                part = conn.recv(BUF)
                if not part:
                    break
                received += part
        with open(f"unsorted_files/{n}.txt", "wb") as dst:
            dst.write(received)


def make_folders():
    for name in ("unsorted_files", "sorted_files"):
        if not os.path.exists(name):
            os.mkdir(name)


def sort_all():
    # one process per core
    with multiprocessing.Pool(multiprocessing.cpu_count()) as p:
        for _ in p.imap(sort_list, range(UNSORTED_FILES_COUNT)):
            pass


def download_all():
    step = UNSORTED_FILES_COUNT // WORKER_THREADS
    workers = []
    for k in range(WORKER_THREADS):
        lo = k * step
        if k != WORKER_THREADS - 1:
            hi = lo + step
        else:
            hi = UNSORTED_FILES_COUNT
        w = threading.Thread(target=get_lists, args=(lo, hi))
        workers.append(w)
        w.start()
    for w in workers:
        w.join()


if __name__ == "__main__":
    make_folders()

    t0 = time.time()
    download_all()
    print(f"Files download time: {time.time() - t0}")

    t0 = time.time()
    sort_all()
    print(f"Sorting time: {time.time() - t0}")
