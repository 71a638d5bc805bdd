import io
import os
import socket
import threading

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)


class ImageSender(threading.Thread):
    def __init__(self, connection, address):
        super().__init__()
        self.connection = connection
        self.address = address

    def run(self):
        picture = Image.frombytes('RGB', (10, 10), os.urandom(10 * 10 * 3))
        output = io.BytesIO()
        picture.save(output, 'PNG')
        self.connection.sendall(output.getvalue())
        self.connection.close()
        print(f'Sent an image to {self.address}')


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(ADDRESS)
        sock.listen()
        print('Listening on {}:{}'.format(*ADDRESS))
        while True:
            connection, address = sock.accept()
            ImageSender(connection, address).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Bye')
