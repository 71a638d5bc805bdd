import os
import socket
import time
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

from PIL import Image

HOST_AND_PORT = "127.0.0.1:1234"
OUTPUT_GIF = "TomaszWojcik.gif"
RECV_SIZE = 1024
FRAME_COUNT = 5000
MAX_RETRIES = 3


def make_gif():
    begin = time.time()
    images = []
    for number in range(FRAME_COUNT):
        images.append(Image.open(f"frames/{number}.png").convert("RGBA"))
    print("loaded", len(images), "images")
    images[0].save(
        OUTPUT_GIF,
        format="GIF",
        append_images=images[1:],
        save_all=True,
        duration=500,
        loop=0,
    )
    return time.time() - begin


def check_frames():
    missing = [n for n in range(FRAME_COUNT) if not os.path.exists(f"frames/{n}.png")]
    return missing


def fetch_frames():
    begin = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")

    with ThreadPoolExecutor(max_workers=32) as executor:
        pending = [executor.submit(grab_frame, number)
                   for number in range(FRAME_COUNT)]
        for job in as_completed(pending):
            job.result()

    return time.time() - begin


def grab_frame(number):
    host, port = HOST_AND_PORT.split(":")
    attempts = 0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port)))
        buf = b""
        while True:
            part = conn.recv(RECV_SIZE)
            if not part:
                break
            buf += part
    with open(f"frames/{number}.png", "wb") as out_file:
        out_file.write(buf)


if __name__ == "__main__":
    print(f"Frames download time: {fetch_frames()}")
    print(f"GIF creation time: {make_gif()}")
