# Client for the frames task (Nadia Haddad).
# Download: lots of threads, bounded by a semaphore. GIF: a process pool.
import os
import socket
import threading
import time
from multiprocessing import Pool

from PIL import Image

ADDR = "127.0.0.1:1234"
GIF_PATH = "NadiaHaddad.gif"
BUF_SIZE = 1024
N_FRAMES = 5000
PROC_COUNT = os.cpu_count() or 2
PARALLEL_LIMIT = 50

gate = threading.Semaphore(PARALLEL_LIMIT)


def decode(n):
    # executed by a pool worker
    return Image.open(f"frames/{n}.png").convert("RGBA")


def make_animation():
    t_start = time.time()
    print(f"Converting frames with {PROC_COUNT} processes")
    with Pool(PROC_COUNT) as workers:
        images = workers.map(decode, range(N_FRAMES), chunksize=100)
    print(f"Converted {len(images)} frames, writing {GIF_PATH}")
    images[0].save(
        GIF_PATH, format="GIF", append_images=images[1:],
        save_all=True, duration=500, loop=0,
    )
    return time.time() - t_start


def grab(n):
    with gate:
        host, port = ADDR.split(":")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(port)))
            blob = b""
            while True:
                chunk = conn.recv(BUF_SIZE)
                if chunk:
                    blob += chunk
                else:
                    break
    with open(f"frames/{n}.png", "wb") as fh:
        fh.write(blob)


def fetch_frames():
    t_start = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")
        print("Created the frames folder")
    print(f"Starting {N_FRAMES} download threads ({PARALLEL_LIMIT} at a time)")
    workers = [threading.Thread(target=grab, args=(n,)) for n in range(N_FRAMES)]
    for n, w in enumerate(workers, 1):
        w.start()
        if n % 1000 == 0:
            print(f"  started {n} threads")
    for w in workers:
        w.join()
    print("All frames downloaded")
    return time.time() - t_start


if __name__ == "__main__":
    print(f"Frames download time: {fetch_frames()}")
    print(f"GIF creation time: {make_animation()}")
