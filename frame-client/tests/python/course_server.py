"""Behaves like a course frames server written in Python, for interop tests.

Prints its port, then per connection (on its own thread) sends one random 10x10 RGB PNG
made by Pillow and closes. Exits when stdin closes, so it never outlives the test.
"""
import io
import os
import random
import socket
import sys
import threading


from PIL import Image


def handle(conn):
    with conn:
        image = Image.new("RGB", (10, 10))
        image.putdata([tuple(random.randrange(256) for _ in range(3)) for _ in range(100)])
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        conn.sendall(buffer.getvalue())


def exit_on_stdin_eof():
    sys.stdin.read()
    os._exit(0)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    print(server.getsockname()[1], flush=True)
    threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,)).start()


if __name__ == "__main__":
    main()
