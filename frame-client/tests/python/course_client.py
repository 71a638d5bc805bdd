"""Behaves like the course's given frames client (2023 handout), for interop tests.

Usage: course_client.py HOST PORT COUNT OUT_DIR GIF_PATH

For each frame: connect, send nothing, recv(1024) until the server closes, write the bytes
to OUT_DIR/{i}.png. Then Pillow saves the GIF with duration=500, loop=0.
"""
import os
import socket
import sys

from PIL import Image


def main():
    host, port, count, out_dir, gif_path = sys.argv[1:6]
    port, count = int(port), int(count)
    os.makedirs(out_dir, exist_ok=True)
    for i in range(count):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.connect((host, port))
            data = b""
            while True:
                chunk = sock.recv(1024)
                if not chunk:
                    break
                data += chunk
        with open(os.path.join(out_dir, f"{i}.png"), "wb") as f:
            f.write(data)
    frames = [Image.open(os.path.join(out_dir, f"{i}.png")) for i in range(count)]
    frames[0].save(gif_path, save_all=True, append_images=frames[1:], duration=500, loop=0)


if __name__ == "__main__":
    main()
