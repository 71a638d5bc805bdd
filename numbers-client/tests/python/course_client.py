"""A client that behaves like the course's given numbers-lab client, for interop tests.

Usage: course_client.py HOST PORT LISTS OUT_DIR

Connects LISTS times, sends nothing, reads each list to EOF and saves it raw as
OUT_DIR/unsorted_files/{i}.txt; then reads each file back, calls int() on every
split(',') token, sorts, and writes OUT_DIR/sorted_files/{i}.txt joined by ','.
Like the course's client it crashes (ValueError) on anything int() rejects.
"""

import os
import socket
import sys


def main():
    host, port, lists, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    unsorted_dir = os.path.join(out, "unsorted_files")
    sorted_dir = os.path.join(out, "sorted_files")
    os.makedirs(unsorted_dir, exist_ok=True)
    os.makedirs(sorted_dir, exist_ok=True)

    for i in range(lists):
        with socket.create_connection((host, port)) as sock:
            chunks = []
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
        with open(os.path.join(unsorted_dir, f"{i}.txt"), "wb") as f:
            f.write(b"".join(chunks))

    for i in range(lists):
        with open(os.path.join(unsorted_dir, f"{i}.txt")) as f:
            numbers = [int(token) for token in f.read().split(",")]
        numbers.sort()
        with open(os.path.join(sorted_dir, f"{i}.txt"), "w") as f:
            f.write(",".join(str(n) for n in numbers))


if __name__ == "__main__":
    main()
