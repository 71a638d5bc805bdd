import os
import socket
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

SERVER_URL = "127.0.0.1:12345"
RECV_CHUNK = 1024
UNSORTED_FILES_COUNT = 100
N_DOWNLOADERS = 16


def sort_pair(src_path, dst_path):
    with open(src_path) as fh:
        values = [int(piece) for piece in fh.read().split(",")]
    values.sort()
    with open(dst_path, "w") as fh:
        fh.write(",".join(map(str, values)))


def sort_everything():
    tasks = [
        (f"unsorted_files/{n}.txt", f"sorted_files/{n}.txt")
        for n in range(UNSORTED_FILES_COUNT)
    ]
    n_proc = max(1, min(len(tasks), os.cpu_count() or 1))
    with Pool(n_proc) as procs:
        procs.starmap(sort_pair, tasks)


def grab(n):
    host, port_s = SERVER_URL.split(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port_s)))
        buf = b""
        while True:
            piece = conn.recv(RECV_CHUNK)
            if piece:
                buf += piece
            else:
                break
    with open(f"unsorted_files/{n}.txt", "wb") as fh:
        fh.write(buf)
    return len(buf)


def grab_everything():
    with ThreadPool(N_DOWNLOADERS) as tp:
        lengths = tp.map(grab, range(UNSORTED_FILES_COUNT))
    return sum(lengths)


def make_dirs():
    for name in ("unsorted_files", "sorted_files"):
        if not os.path.exists(name):
            os.mkdir(name)


if __name__ == "__main__":
    make_dirs()

    t0 = time.time()
    byte_total = grab_everything()
    print(f"Files download time: {time.time() - t0}")

    t0 = time.time()
    sort_everything()
    print(f"Sorting time: {time.time() - t0}")
