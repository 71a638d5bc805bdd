import io
import os
import socket
import threading

from PIL import Image

LISTEN_PORT = 1234
SIDE_X = SIDE_Y = 10


class PngWorker(threading.Thread):
    # one of these per accepted client

    def __init__(self, client_sock, peer):
        super().__init__(daemon=True)
        self.client_sock = client_sock
        self.peer = peer

    def make_picture(self):
        noise = os.urandom(SIDE_X * SIDE_Y * 3)
        pic = Image.frombytes('RGB', (SIDE_X, SIDE_Y), noise)
        mem = io.BytesIO()
        pic.save(mem, 'PNG')
        return mem.getvalue()

    def run(self):
        with self.client_sock:
            self.client_sock.sendall(self.make_picture())
        print(f'Sent an image to {self.peer}')


def start():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', LISTEN_PORT))
    listener.listen()
    print(f'Listening on 0.0.0.0:{LISTEN_PORT}')
    try:
        while True:
            client_sock, peer = listener.accept()
            PngWorker(client_sock, peer).start()
    except KeyboardInterrupt:
        print('Server stopped')
    listener.close()


if __name__ == '__main__':
    start()
