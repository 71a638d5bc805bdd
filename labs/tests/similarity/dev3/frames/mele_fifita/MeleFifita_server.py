import io
import random
import socket
from threading import Thread

from PIL import Image

SERVER_PORT = 1234


class ClientHandler(Thread):
    def __init__(self, client_socket, client_address):
        Thread.__init__(self)
        self.client_socket = client_socket
        self.client_address = client_address

    def random_image(self):
        picture = Image.new('RGB', (10, 10))
        for row in range(10):
            for col in range(10):
                colour = (random.choice(range(256)),
                          random.choice(range(256)),
                          random.choice(range(256)))
                picture.putpixel((col, row), colour)
        return picture

    def run(self):
        png = io.BytesIO()
        self.random_image().save(png, format='PNG')
        with self.client_socket:
            self.client_socket.sendall(png.getvalue())
        print(f'Sent an image to {self.client_address}')


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server_socket:
        server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server_socket.bind(('0.0.0.0', SERVER_PORT))
        server_socket.listen()
        print(f'Listening on 0.0.0.0:{SERVER_PORT}')
        while True:
            try:
                client_socket, client_address = server_socket.accept()
            except KeyboardInterrupt:
                print('Server is shutting down')
                break
            handler = ClientHandler(client_socket, client_address)
            handler.start()


main()
