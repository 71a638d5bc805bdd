import concurrent.futures
import math
import multiprocessing
import os
import socket
import time

from PIL import Image

ADDR = "127.0.0.1:1234"
GIF_NAME = "OlegSorokin.gif"
CHUNK_BYTES = 1024
TOTAL = 5000
N_THREADS = 64


def to_rgba(i):
    return Image.open(f"frames/{i}.png").convert("RGBA")


def make_gif():
    t_start = time.time()
    n_proc = multiprocessing.cpu_count()
    size = math.ceil(TOTAL / (n_proc * 4))
    # frames are decoded by n_proc worker processes, order is preserved by map
    with multiprocessing.Pool(n_proc) as procs:
        images = procs.map(to_rgba, range(TOTAL), chunksize=size)
    images[0].save(
        GIF_NAME, format="GIF", append_images=images[1:],
        save_all=True, duration=500, loop=0
    )
    return time.time() - t_start


def get_one(i):
    host, port = ADDR.split(":")
    buf = bytearray()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        while True:
            chunk = conn.recv(CHUNK_BYTES)
            if chunk:
                buf.extend(chunk)
            else:
                break
    with open(f"frames/{i}.png", "wb") as out:
        out.write(buf)


def get_all():
    t_start = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")
    # thread pool, every frame is a separate task
    with concurrent.futures.ThreadPoolExecutor(N_THREADS) as executor:
        tasks = [executor.submit(get_one, i) for i in range(TOTAL)]
        finished, pending = concurrent.futures.wait(tasks)
    for task in finished:
        if task.exception() is not None:
            print(f"Download failed: {task.exception()}")
    return time.time() - t_start


if __name__ == "__main__":
    print(f"Frames download time: {get_all()}")
    print(f"GIF creation time: {make_gif()}")
