import io
import os
import socket
import threading

from PIL import Image

LISTEN_PORT = 1234
COLS, ROWS = 10, 10


class PictureThread(threading.Thread):
    """Serves a single client and then ends."""

    def __init__(self, conn, peer):
        super().__init__()
        self.conn = conn
        self.peer = peer

    def run(self):
        # random bytes from the OS become the pixel colours
        pic = Image.frombytes('RGB', (COLS, ROWS), os.urandom(COLS * ROWS * 3))
        buf = io.BytesIO()
        pic.save(buf, 'PNG')
        self.conn.sendall(buf.getvalue())
        self.conn.close()
        print('Sent an image to', self.peer)


def start():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', LISTEN_PORT))
    listener.listen()
    print('Listening on 0.0.0.0:' + str(LISTEN_PORT))
    while True:
        try:
            conn, peer = listener.accept()
        except KeyboardInterrupt:
            break
        PictureThread(conn, peer).start()
    listener.close()


if __name__ == '__main__':
    start()
