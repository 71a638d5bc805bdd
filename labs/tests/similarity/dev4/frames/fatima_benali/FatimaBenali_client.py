import multiprocessing
import os
import socket
import threading
import time

from PIL import Image

HOST_AND_PORT = "127.0.0.1:1234"
OUTPUT_GIF = "FatimaBenali.gif"
RECV_SIZE = 1024
FRAME_COUNT = 5000
N_THREADS = 25


def fetch_one(num):
    host, port = HOST_AND_PORT.split(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        payload = b""
        while True:
            part = conn.recv(RECV_SIZE)
            if not part:
                break
            payload += part
    with open(f"frames/{num}.png", "wb") as out:
        out.write(payload)


def read_png(num):
    return num, Image.open(f"frames/{num}.png").convert("RGBA")


def build_gif():
    t_begin = time.time()
    images = [None] * FRAME_COUNT
    with multiprocessing.Pool(multiprocessing.cpu_count()) as procs:
        for num, img in procs.imap_unordered(read_png, range(FRAME_COUNT),
                                             chunksize=20):
            images[num] = img
    images[0].save(OUTPUT_GIF, format="GIF", append_images=images[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - t_begin


class FrameFetcher(threading.Thread):
    # each fetcher takes every N_THREADS-th frame, beginning at `offset`

    def __init__(self, offset, stride):
        super().__init__()
        self.offset = offset
        self.stride = stride
        self.done = 0

    def run(self):
        for num in range(self.offset, FRAME_COUNT, self.stride):
            fetch_one(num)
            self.done = self.done + 1


def get_all_frames():
    t_begin = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")
    fetchers = [FrameFetcher(k, N_THREADS) for k in range(N_THREADS)]
    [fetcher.start() for fetcher in fetchers]
    for fetcher in fetchers:
        fetcher.join()
    downloaded = sum(fetcher.done for fetcher in fetchers)
    if downloaded < FRAME_COUNT:
        print(f"Only {downloaded} of {FRAME_COUNT} frames arrived!")
    return time.time() - t_begin


if __name__ == "__main__":
    print(f"Frames download time: {get_all_frames()}")
    print(f"GIF creation time: {build_gif()}")
