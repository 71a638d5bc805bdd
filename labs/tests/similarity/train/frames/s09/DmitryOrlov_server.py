import io
import os
import socket
import threading

from PIL import Image


class ImageSender(threading.Thread):
    def __init__(self, conn, addr):
        super().__init__()
        self.conn = conn
        self.addr = addr

    def run(self):
        image = Image.frombytes('RGB', (10, 10), os.urandom(10 * 10 * 3))
        stream = io.BytesIO()
        image.save(stream, format='PNG')
        self.conn.sendall(stream.getvalue())
        self.conn.close()
        print(f'Sent an image to {self.addr}')


if __name__ == '__main__':
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', 1234))
    sock.listen()
    print('Listening on 0.0.0.0:1234')
    try:
        while True:
            conn, addr = sock.accept()
            ImageSender(conn, addr).start()
    except KeyboardInterrupt:
        print('Bye')
    finally:
        sock.close()
