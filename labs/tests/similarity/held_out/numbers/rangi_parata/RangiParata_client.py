# numbers lab - Rangi Parata
# download: a separate thread for each list
# sorting: multiprocessing pool sized to the number of cores
import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

HOST_PORT = "127.0.0.1:12345"
RECV_BYTES = 1024
UNSORTED_FILES_COUNT = 100


def sort_list_file(n):
    with open(f"unsorted_files/{n}.txt") as fin:
        values = [int(v) for v in fin.read().split(",")]
    values.sort()
    with open(f"sorted_files/{n}.txt", "w") as fout:
        fout.write(",".join(map(str, values)))


def sort_all():
    with Pool(cpu_count()) as workers:
        workers.map(sort_list_file, range(UNSORTED_FILES_COUNT))


def get_list(n):
    host, port = HOST_PORT.split(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        received = b""
        while True:
            piece = conn.recv(RECV_BYTES)
            if not piece:
                break
            received += piece
    with open(f"unsorted_files/{n}.txt", "wb") as fout:
        fout.write(received)


def get_all_lists():
    jobs = [threading.Thread(target=get_list, args=(n,))
            for n in range(UNSORTED_FILES_COUNT)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()


def prepare_folders():
    for name in ("unsorted_files", "sorted_files"):
        if os.path.exists(name):
            continue
        os.mkdir(name)


if __name__ == "__main__":
    prepare_folders()

    t = time.time()
    get_all_lists()
    print(f"Files download time: {time.time() - t}")

    t = time.time()
    sort_all()
    print(f"Sorting time: {time.time() - t}")
