import random
import socket
import threading
import time
from io import BytesIO

from PIL import Image

BACKLOG = 10


def start_server(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("0.0.0.0", port))
    s.listen(BACKLOG)
    print("Listening on 0.0.0.0:" + str(port))
    clients = 0
    while True:
        sock, addr = s.accept()
        t = threading.Thread(
            target=client_thread,
            args=(sock, addr)
        )
        t.start()


def log(message):
    print(time.strftime("%H:%M:%S"), message)


def client_thread(sock, addr):
    sock.sendall(generate_frame())
    sock.close()
    print("Sent an image to", addr)


def generate_frame():
    colors = []
    for i in range(100):
        colors.append((random.randint(0, 255),
                       random.randint(0, 255),
                       random.randint(0, 255)))
    img = Image.new("RGB", (10, 10))
    img.putdata(colors)

    buffer = BytesIO()
    img.save(buffer, format="PNG")
    return buffer.getvalue()


if __name__ == "__main__":
    port = int(input("Port: "))
    try:
        start_server(port)
    except KeyboardInterrupt:
        print("Server closed")
