"""The frames lab's given client, sequential, as students receive it.

The grader runs it as the baseline of the "runtime-improved" item: it downloads
FRAMES_COUNT frames one connection at a time into frames/, then builds the GIF
frame by frame in one process, and prints how long each phase took.
"""
import os
import socket
import time

from PIL import Image

SERVER_HOST = "127.0.0.1"
SERVER_PORT = 1234
FRAMES_COUNT = 5000
FRAMES_DIR = "frames"
GIF_PATH = "frames.gif"


def download_frame(index):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((SERVER_HOST, SERVER_PORT))
        chunks = []
        while True:
            chunk = sock.recv(1024)
            if not chunk:
                break
            chunks.append(chunk)
    with open(os.path.join(FRAMES_DIR, f"{index}.png"), "wb") as file:
        file.write(b"".join(chunks))


def build_gif():
    frames = []
    for index in range(FRAMES_COUNT):
        with Image.open(os.path.join(FRAMES_DIR, f"{index}.png")) as image:
            frames.append(image.convert("RGB"))
    frames[0].save(GIF_PATH, save_all=True, append_images=frames[1:],
                   duration=500, loop=0)


def main():
    os.makedirs(FRAMES_DIR, exist_ok=True)
    start = time.time()
    for index in range(FRAMES_COUNT):
        download_frame(index)
    print(f"Frames download time: {time.time() - start}")
    start = time.time()
    build_gif()
    print(f"GIF creation time: {time.time() - start}")


if __name__ == "__main__":
    main()
