# Liam O'Connor - image server (thread per client)
import io
import random
import socket
import threading
import sys

from PIL import Image

BIND_IP = "0.0.0.0"
BIND_PORT = 1234
DIM = 10
served = 0


def run_server():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((BIND_IP, BIND_PORT))
    srv.listen()
    print(f"Listening on {BIND_IP}:{BIND_PORT}")
    try:
        while True:
            client, client_addr = srv.accept()
            worker = threading.Thread(target=client_job,
                                      args=(client, client_addr))
            worker.start()
    except KeyboardInterrupt:
        print("Server stopped")
    finally:
        srv.close()


def client_job(client, client_addr):
    client.sendall(make_png())
    client.close()
    print(f"Sent an image to {client_addr}")


def debug(msg):
    print("DEBUG:", msg)


def make_png():
    pic = Image.new("RGB", (DIM, DIM))
    for i in range(DIM):
        for j in range(DIM):
            red = random.randint(0, 255)
            green = random.randint(0, 255)
            blue = random.randint(0, 255)
            pic.putpixel((i, j), (red, green, blue))

    mem = io.BytesIO()
    pic.save(mem, format="PNG")
    return mem.getvalue()


if __name__ == "__main__":
    run_server()
