import multiprocessing
import os
import socket
import threading
import time
import random

SERVER = "127.0.0.1:12345"
BUFFER_SIZE = 1024
UNSORTED_FILES_COUNT = 100
WORKERS = 10


def sort_all():
    ncpu = multiprocessing.cpu_count()
    ks = list(range(UNSORTED_FILES_COUNT))
    procs = []
    print("cpus:", ncpu)
    for j in range(ncpu):
        pr = multiprocessing.Process(target=process_job,
                                     args=(ks[j::ncpu],))
        pr.start()
        procs.append(pr)
    for pr in procs:
        pr.join()


def process_job(ks):
    for k in ks:
        with open(f"unsorted_files/{k}.txt") as fh:
            vals = [int(x) for x in fh.read().split(",")]
        vals.sort()
        with open(f"sorted_files/{k}.txt", "w") as fh:
            fh.write(",".join(map(str, vals)))


def download_all():
    pool = []
    for start in range(WORKERS):
        th = threading.Thread(target=thread_job,
                              args=(start,))
        th.start()
        pool.append(th)
    for th in pool:
        th.join()


def thread_job(start):
    host, port_num = SERVER.split(":")
    done = 0
    for k in range(start, UNSORTED_FILES_COUNT, WORKERS):
        buf = read_from_server(host, int(port_num))
        with open(f"unsorted_files/{k}.txt", "wb") as fh:
            fh.write(buf)


def count_numbers(path):
    with open(path) as fh:
        return fh.read().count(",") + 1


def read_from_server(host, port_num):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((host, port_num))
        buf = b""
        while True:
            part = sock.recv(BUFFER_SIZE)
            if not part:
                break
            buf += part
    return buf


def make_dirs():
    for name in ("unsorted_files", "sorted_files"):
        if not os.path.exists(name):
            os.mkdir(name)


if __name__ == "__main__":
    make_dirs()
    print("dirs ready")

    t_start = time.time()
    download_all()
    print(f"Files download time: {time.time() - t_start}")

    t_start = time.time()
    sort_all()
    print(f"Sorting time: {time.time() - t_start}")
