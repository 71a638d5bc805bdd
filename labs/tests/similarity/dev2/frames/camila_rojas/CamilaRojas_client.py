from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from multiprocessing import Pool
from pathlib import Path

from PIL import Image

SERVER_ADDRESS = "127.0.0.1:1234"
GIF_NAME = "CamilaRojas.gif"
CHUNK = 1024
FRAME_COUNT = 5000
OUT_DIR = Path("frames")
ATTEMPTS = 3


def to_rgba_image(p: Path) -> Image.Image:
    with Image.open(p) as picture:
        return picture.convert("RGBA")


def pull(h: str, port_no: int) -> bytes:
    with socket.create_connection((h, port_no)) as conn:
        parts = []
        while True:
            piece = conn.recv(CHUNK)
            if not piece:
                break
            parts.append(piece)
    return b"".join(parts)


def measure(fn):
    # the decorated method gives back its duration in seconds
    def inner(*a, **kw):
        t0 = time.time()
        fn(*a, **kw)
        return time.time() - t0
    return inner


class GifDownloader:
    def __init__(self, address: str = SERVER_ADDRESS, n_threads: int = 50):
        h, port_no = address.split(":")
        self.h = h
        self.port_no = int(port_no)
        self.n_threads = n_threads

    @measure
    def make_gif(self) -> None:
        files = []
        for k in range(FRAME_COUNT):
            files.append(self.path_of(k))
        with Pool(min(os.cpu_count() or 1, 4)) as workers:
            images = workers.map(to_rgba_image, files, chunksize=250)
        head, *tail = images
        head.save(
            GIF_NAME,
            format="GIF",
            append_images=tail,
            save_all=True,
            duration=500,
            loop=0,
        )

    @measure
    def download(self) -> None:
        OUT_DIR.mkdir(exist_ok=True)
        with ThreadPoolExecutor(max_workers=self.n_threads) as ex:
            jobs = {ex.submit(self.save_one, k): k for k in range(FRAME_COUNT)}
            for job in as_completed(jobs):
                problem = job.exception()
                if problem is None:
                    continue
                print(f"frame {jobs[job]} failed: {problem}")

    def save_one(self, k: int) -> int:
        for n_try in range(1, ATTEMPTS + 1):
            try:
                blob = pull(self.h, self.port_no)
                break
            except ConnectionError:
                if n_try == ATTEMPTS:
                    raise
                time.sleep(0.05 * n_try)
        self.path_of(k).write_bytes(blob)
        return k

    def path_of(self, k: int) -> Path:
        return OUT_DIR / f"{k}.png"


def run() -> None:
    gd = GifDownloader()
    print(f"Frames download time: {gd.download()}")
    print(f"GIF creation time: {gd.make_gif()}")


if __name__ == "__main__":
    run()
