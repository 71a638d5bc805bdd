import os
import socket
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from PIL import Image

SERVER_URL = "127.0.0.1:1234"
FILE_NAME = "AhmedHassan.gif"
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREADS = 32
DEBUG = False


def open_frame(index):
    return Image.open(f"frames/{index}.png").convert("RGBA")


def create_gif():
    started = time.time()
    with ProcessPoolExecutor(os.cpu_count()) as ex:
        frames = list(ex.map(open_frame,
                             range(FRAME_COUNT),
                             chunksize=100))
    if DEBUG:
        print("frames loaded:", len(frames))
    frames[0].save(FILE_NAME, format="GIF", append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


def frame_size(index):
    return os.path.getsize(f"frames/{index}.png")


def download_frames():
    started = time.time()
    os.makedirs("frames", exist_ok=True)
    total = 0
    with ThreadPoolExecutor(THREADS) as ex:
        list(ex.map(receive_frame, range(FRAME_COUNT)))
    if DEBUG:
        print("download finished")

    return time.time() - started


def receive_frame(index):
    ip, port = SERVER_URL.split(":")

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b""
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f"frames/{index}.png", "wb") as f:
        f.write(data)


def print_stats():
    sizes = [frame_size(i) for i in range(FRAME_COUNT)]
    print("average frame size:", sum(sizes) / len(sizes))


if __name__ == "__main__":
    print(f"Frames download time: {download_frames()}")
    print(f"GIF creation time: {create_gif()}")
