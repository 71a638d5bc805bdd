import random
import socket
import sys
import threading
from io import BytesIO

from PIL import Image


class Connection(threading.Thread):

    def __init__(self, sock, address):
        threading.Thread.__init__(self, daemon=True)
        self.sock = sock
        self.address = address

    def run(self):
        pixels = [tuple(random.choices(range(256), k=3)) for _ in range(100)]
        picture = Image.new('RGB', (10, 10))
        picture.putdata(pixels)
        stream = BytesIO()
        picture.save(stream, format='PNG')
        try:
            self.sock.sendall(stream.getvalue())
        finally:
            self.sock.close()
        print('Sent an image to', self.address)


def start(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('0.0.0.0', port))
    srv.listen()
    print('Listening on 0.0.0.0:%d' % port)
    try:
        while True:
            sock, address = srv.accept()
            Connection(sock, address).start()
    except KeyboardInterrupt:
        print('Server stopped')
    srv.close()


if __name__ == '__main__':
    start(int(sys.argv[1]) if len(sys.argv) == 2 else 1234)
