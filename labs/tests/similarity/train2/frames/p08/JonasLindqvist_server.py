import io
import os
import socket
import threading

from PIL import Image

PORT = 1234
WIDTH = HEIGHT = 10


class ImageSender(threading.Thread):
    def __init__(self, connection, address):
        super().__init__()
        self.connection = connection
        self.address = address

    def run(self):
        image = Image.frombytes('RGB', (WIDTH, HEIGHT), os.urandom(WIDTH * HEIGHT * 3))
        stream = io.BytesIO()
        image.save(stream, 'PNG')
        self.connection.sendall(stream.getvalue())
        self.connection.close()
        print(f'Sent an image to {self.address}')


if __name__ == '__main__':
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', PORT))
    sock.listen()
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            connection, address = sock.accept()
            ImageSender(connection, address).start()
    except KeyboardInterrupt:
        pass
    sock.close()
