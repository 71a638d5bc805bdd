import multiprocessing
import os
import socket
import threading
import time

HOST_PORT = "127.0.0.1:12345"
CHUNK_SIZE = 1024
UNSORTED_FILES_COUNT = 100
N_THREADS = 8

counter = 0
counter_lock = threading.Lock()


def sort_one(num):
    with open(f"unsorted_files/{num}.txt") as fin:
        values = [int(tok) for tok in fin.read().split(",")]
    values.sort()
    with open(f"sorted_files/{num}.txt", "w") as fout:
        fout.write(",".join(map(str, values)))


def sort_everything():
    n_proc = min(os.cpu_count(), 4)
    with multiprocessing.Pool(n_proc) as procs:
        procs.map(sort_one, range(UNSORTED_FILES_COUNT), chunksize=5)


def next_job():
    # hand out list numbers one by one; -1 means nothing is left
    global counter
    with counter_lock:
        if counter >= UNSORTED_FILES_COUNT:
            return -1
        num = counter
        counter += 1
    return num


def fetch(host, port, num):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, port))
        buf = b""
        while True:
            part = conn.recv(CHUNK_SIZE)
            if not part:
                break
            buf += part
    with open(f"unsorted_files/{num}.txt", "wb") as out:
        out.write(buf)


def thread_body():
    host, port = HOST_PORT.split(":")
    while True:
        num = next_job()
        if num >= 0:
            fetch(host, int(port), num)
        else:
            break


def fetch_everything():
    threads = [threading.Thread(target=thread_body) for _ in range(N_THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


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
