"""Emine Yildirim - frames lab client.

A handful of threads share one index dispenser protected by a lock, so each
thread grabs the next frame that nobody has taken yet. Decoding the PNGs for
the GIF is spread over a multiprocessing pool.
"""
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

GIF_NAME = "EmineYildirim.gif"
SERVER = "127.0.0.1:1234"
OUT_DIR = "frames"
BUF_SIZE = 1024
FRAME_COUNT = 5000
N_WORKERS = 16


def measure(step):
    t_start = time.time()
    step()
    return time.time() - t_start


class IndexDispenser:
    # thread-safe counter: every call to take() returns a new number

    def __init__(self, total):
        self.total = total
        self.current = 0
        self.mutex = threading.Lock()

    def take(self):
        with self.mutex:
            if self.current < self.total:
                self.current += 1
                return self.current - 1
            return None


def png_path(n):
    return os.path.join(OUT_DIR, f"{n}.png")


def parse_server():
    host, port = SERVER.split(":")
    return host, int(port)


def download(addr):
    pieces = []
    with socket.create_connection(addr) as conn:
        while True:
            chunk = conn.recv(BUF_SIZE)
            if not chunk:
                break
            pieces.append(chunk)
    return b"".join(pieces)


def write_png(n, payload):
    with open(png_path(n), "wb") as fh:
        fh.write(payload)


def fetch_loop(dispenser, addr):
    while True:
        n = dispenser.take()
        if n is None:
            break
        write_png(n, download(addr))


def to_rgba(n):
    return Image.open(png_path(n)).convert("RGBA")


def build_gif():
    with Pool(os.cpu_count()) as procs:
        images = list(procs.imap(to_rgba, range(FRAME_COUNT), chunksize=64))
    head, tail = images[0], images[1:]
    head.save(GIF_NAME, format="GIF", append_images=tail,
              save_all=True, duration=500, loop=0)


def get_frames():
    os.makedirs(OUT_DIR, exist_ok=True)
    dispenser = IndexDispenser(FRAME_COUNT)
    addr = parse_server()
    workers = []
    for _ in range(N_WORKERS):
        workers.append(threading.Thread(target=fetch_loop, args=(dispenser, addr)))
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def main():
    print(f"Frames download time: {measure(get_frames)}")
    print(f"GIF creation time: {measure(build_gif)}")


if __name__ == "__main__":
    main()
