import io
import random
import socket
import threading
import time

from PIL import Image

IP = "0.0.0.0"
PORT_NUMBER = 1234


def run_server():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((IP, PORT_NUMBER))
    listener.listen(100)
    print(f"Listening on {IP}:{PORT_NUMBER}")
    served = 0
    while True:
        try:
            sock, addr = listener.accept()
        except KeyboardInterrupt:
            print("Server stopped")
            break
        threading.Thread(target=handle_connection,
                         args=(sock, addr)).start()
    listener.close()


def handle_connection(sock, addr):
    sock.sendall(random_picture())
    sock.close()
    print(f"Sent an image to {addr}")


def log(message):
    print(time.strftime("%H:%M:%S"), message)


def random_picture():
    pic = Image.new("RGB", (10, 10))
    for col in range(10):
        for row in range(10):
            rgb = (random.randint(0, 255),
                   random.randint(0, 255),
                   random.randint(0, 255))
            pic.putpixel((col, row), rgb)

    stream = io.BytesIO()
    pic.save(stream, "PNG")
    return stream.getvalue()


run_server()
