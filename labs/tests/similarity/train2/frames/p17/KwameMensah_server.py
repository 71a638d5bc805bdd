import io
import random
import socket
import threading

from PIL import Image

PORT = 1234


def pixel():
    value = random.getrandbits(24)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def png_frame():
    im = Image.new('RGB', (10, 10))
    for y in range(10):
        for x in range(10):
            im.putpixel((x, y), pixel())
    f = io.BytesIO()
    im.save(f, 'PNG')
    return f.getvalue()


def send_png(conn, address):
    with conn:
        conn.sendall(png_frame())
    print(f'Sent an image to {address}')


class Acceptor(threading.Thread):
    """Accepts connections in the background; the main thread waits for Ctrl-C."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('0.0.0.0', port))
        self.sock.listen(32)

    def run(self):
        while True:
            conn, address = self.sock.accept()
            threading.Thread(target=send_png, args=(conn, address)).start()


if __name__ == '__main__':
    acceptor = Acceptor(PORT)
    acceptor.start()
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while acceptor.is_alive():
            acceptor.join(0.5)
    except KeyboardInterrupt:
        print('Shutting down')
        acceptor.sock.close()
