import os
import socket
import threading
import time
from multiprocessing import Pool

ADDRESS = "127.0.0.1:12345"
RECV_BYTES = 1024
LIST_COUNT = 100
THREAD_TOTAL = 5
PROC_TOTAL = os.cpu_count()


def sort_to_string(i):
    # read one list and hand it back sorted, already as text
    with open(f"unsorted_files/{i}.txt") as src:
        values = [int(tok) for tok in src.read().split(",")]
    values.sort()
    return ",".join(map(str, values))


def make_folders():
    for name in ("unsorted_files", "sorted_files"):
        if not os.path.exists(name):
            os.mkdir(name)


def sort_everything():
    with Pool(PROC_TOTAL) as procs:
        results = procs.imap(sort_to_string, range(LIST_COUNT))
        for i, text in enumerate(results):
            with open(f"sorted_files/{i}.txt", "w") as dst:
                dst.write(text)


def fetch_some(ids):
    host, port = ADDRESS.split(":")
    for i in ids:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(port)))
            raw = b""
            while True:
                piece = conn.recv(RECV_BYTES)
                if not piece:
                    break
                raw += piece
        with open(f"unsorted_files/{i}.txt", "wb") as dst:
            dst.write(raw)


def fetch_everything():
    pool = [
        threading.Thread(target=fetch_some, args=(range(k, LIST_COUNT, THREAD_TOTAL),))
        for k in range(THREAD_TOTAL)
    ]
    for th in pool:
        th.start()
    for th in pool:
        th.join()


if __name__ == "__main__":
    make_folders()

    t0 = time.time()
    fetch_everything()
    print(f"Files download time: {time.time() - t0}")

    t0 = time.time()
    sort_everything()
    print(f"Sorting time: {time.time() - t0}")
