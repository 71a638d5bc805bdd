import io
import os
import socket
import threading

from PIL import Image

PORT = 1234
WIDTH = HEIGHT = 10


class ImageSender(threading.Thread):
    """Sends one random PNG to a connected client, then hangs up."""

    def __init__(self, conn, address):
        super().__init__(daemon=True)
        self.conn = conn
        self.address = address

    def random_png(self):
        pixels = os.urandom(WIDTH * HEIGHT * 3)
        image = Image.frombytes('RGB', (WIDTH, HEIGHT), pixels)
        out = io.BytesIO()
        image.save(out, 'PNG')
        return out.getvalue()

    def run(self):
        with self.conn:
            self.conn.sendall(self.random_png())
        print(f'Sent an image to {self.address}')


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', PORT))
    sock.listen()
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            conn, address = sock.accept()
            ImageSender(conn, address).start()
    except KeyboardInterrupt:
        print('Server stopped')
    sock.close()


if __name__ == '__main__':
    main()
