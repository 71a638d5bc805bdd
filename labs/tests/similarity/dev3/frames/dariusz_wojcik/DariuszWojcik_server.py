import io
import os
import socket
import threading

from PIL import Image

PORT = 1234
WIDTH, HEIGHT = 10, 10


class ImageSender(threading.Thread):
    """One thread per client: make a random image, send it, hang up."""

    def __init__(self, connection, address):
        super().__init__()
        self.connection = connection
        self.address = address

    def run(self):
        # 3 random bytes per pixel = random RGB colours
        image = Image.frombytes('RGB', (WIDTH, HEIGHT), os.urandom(WIDTH * HEIGHT * 3))
        stream = io.BytesIO()
        image.save(stream, 'PNG')
        self.connection.sendall(stream.getvalue())
        self.connection.close()
        print('Sent an image to', self.address)


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', PORT))
    sock.listen()
    print('Listening on 0.0.0.0:' + str(PORT))
    while True:
        try:
            connection, address = sock.accept()
        except KeyboardInterrupt:
            break
        ImageSender(connection, address).start()
    sock.close()


if __name__ == '__main__':
    main()
