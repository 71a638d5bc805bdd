import io
import os
import socket
import threading
import time

from PIL import Image

PORT = 1234
SIZE = 10


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server_socket:
        server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server_socket.bind(("0.0.0.0", PORT))
        server_socket.listen()
        print("debug: socket ready", server_socket)
        print(f"Listening on 0.0.0.0:{PORT}")
        served = 0
        try:
            while True:
                connection, address = server_socket.accept()
                ImageSender(connection, address).start()
        except KeyboardInterrupt:
            print("Bye")


class ImageSender(threading.Thread):
    def run(self):
        with self.connection:
            self.connection.sendall(self.make_png())
        print(f"Sent an image to {self.address}")

    def make_png(self):
        image = Image.frombytes("RGB", (10, 10),
                                os.urandom(10 * 10 * 3))
        stream = io.BytesIO()
        image.save(stream, "PNG")
        return stream.getvalue()

    def __init__(self, connection, address):
        super().__init__()
        self.connection = connection
        self.address = address

    def log(self, message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}")


if __name__ == "__main__":
    main()
