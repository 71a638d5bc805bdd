"""Frames client, made faster with threads and a process pool.

Downloading: the indices are split into THREAD_COUNT contiguous chunks and
every chunk is downloaded by its own thread.
GIF: the frames are opened and converted in a multiprocessing pool.
"""
import multiprocessing
import os
import socket
import threading
import time
import glob

from PIL import Image

SERVER_URL = "127.0.0.1:1234"
FILE_NAME = "AnastasiaMikhailova.gif"
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
THREAD_COUNT = 16


def open_frame(index):
    return Image.open(f"frames/{index}.png").convert("RGBA")


def create_gif():
    started = time.time()
    processes = min(4, multiprocessing.cpu_count())
    print("using", processes, "processes")
    with multiprocessing.Pool(processes) as pool:
        frames = list(pool.imap(open_frame,
                                range(FRAME_COUNT),
                                chunksize=50))

    frames[0].save(FILE_NAME, format="GIF",
                   append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


def clear_frames():
    for path in glob.glob("frames/*.png"):
        os.remove(path)


def download_frames():
    started = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")
    chunk_size = (FRAME_COUNT + THREAD_COUNT - 1) // THREAD_COUNT
    done = 0
    threads = []
    for i in range(THREAD_COUNT):
        start = i * chunk_size
        end = min(start + chunk_size, FRAME_COUNT)
        threads.append(
            threading.Thread(target=receive_chunk, args=(start, end))
        )

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def receive_chunk(start, end):
    for index in range(start, end):
        receive_frame(index)


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


def frame_path(index):
    return os.path.join("frames", str(index) + ".png")


if __name__ == "__main__":
    print(f"Frames download time: {download_frames()}")
    print(f"GIF creation time: {create_gif()}")
