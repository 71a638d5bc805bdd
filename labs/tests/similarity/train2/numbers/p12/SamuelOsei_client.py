import multiprocessing
import os
import socket
import threading
import time

HOST_PORT = "127.0.0.1:12345"
RECV_LEN = 1024
UNSORTED_FILES_COUNT = 100
THREAD_TOTAL = 12


def sort_group(group):
    # every process sorts a whole group of files one after the other
    for idx in group:
        with open(f"unsorted_files/{idx}.txt") as src:
            values = [int(tok) for tok in src.read().split(",")]
        values.sort()
        with open(f"sorted_files/{idx}.txt", "w") as dst:
            dst.write(",".join(map(str, values)))
    return len(group)


def sort_everything():
    procs = multiprocessing.cpu_count()
    per_group = (UNSORTED_FILES_COUNT + procs - 1) // procs
    groups = [list(range(first, min(first + per_group, UNSORTED_FILES_COUNT)))
              for first in range(0, UNSORTED_FILES_COUNT, per_group)]
    with multiprocessing.Pool(procs) as pool:
        done = sum(pool.map(sort_group, groups))
    if done != UNSORTED_FILES_COUNT:
        print("Warning: not all files were sorted")


take_lock = threading.Lock()
pending = 0


def claim_index():
    global pending
    with take_lock:
        if pending < UNSORTED_FILES_COUNT:
            idx = pending
            pending += 1
        else:
            return -1
    return idx


def fetch_loop():
    host, port = HOST_PORT.split(":")
    while True:
        idx = claim_index()
        if idx == -1:
            break
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(port)))
            payload = b""
            while True:
                chunk = conn.recv(RECV_LEN)
                if not chunk:
                    break
                payload += chunk
        with open(f"unsorted_files/{idx}.txt", "wb") as out:
            out.write(payload)


def fetch_everything():
    workers = []
    for _ in range(THREAD_TOTAL):
        w = threading.Thread(target=fetch_loop)
        w.start()
        workers.append(w)
    for w in workers:
        w.join()


def make_dirs():
    for name in ("unsorted_files", "sorted_files"):
        if not os.path.exists(name):
            os.mkdir(name)


if __name__ == "__main__":
    make_dirs()

    t0 = time.time()
    fetch_everything()
    print(f"Files download time: {time.time() - t0}")

    t0 = time.time()
    sort_everything()
    print(f"Sorting time: {time.time() - t0}")
