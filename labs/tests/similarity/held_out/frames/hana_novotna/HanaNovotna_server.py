import random
import socket
import sys
import threading
from io import BytesIO

from PIL import Image


def start_server(port_number):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port_number))
    srv.listen()
    print(f"Listening on 0.0.0.0:{port_number}")
    while True:
        conn, where = srv.accept()
        threading.Thread(target=reply,
                         args=(conn, where)).start()


def reply(conn, where):
    with conn:
        conn.sendall(make_picture())
    print(f"Sent an image to ({where[0]}, {where[1]})")


def make_picture():
    noise = bytes(random.randint(0, 255) for _ in range(300))
    pic = Image.frombytes("RGB", (10, 10), noise)
    mem = BytesIO()
    pic.save(mem, format="PNG")
    return mem.getvalue()


def picture_size(data):
    return len(data)


if __name__ == "__main__":
    port_number = int(input("Enter port: "))
    debug = False
    try:
        start_server(port_number)
    except KeyboardInterrupt:
        print("Stopped.")
