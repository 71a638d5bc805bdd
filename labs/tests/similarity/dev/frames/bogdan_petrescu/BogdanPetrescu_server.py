import io
import os
import socket
import threading

from PIL import Image

BIND_TO = ('0.0.0.0', 1234)


class PngWorker(threading.Thread):
    def __init__(self, client_sock, peer):
        super().__init__()
        self.client_sock = client_sock
        self.peer = peer

    def run(self):
        img = Image.frombytes('RGB', (10, 10), os.urandom(10 * 10 * 3))
        mem = io.BytesIO()
        img.save(mem, 'PNG')
        self.client_sock.sendall(mem.getvalue())
        self.client_sock.close()
        print(f'Sent an image to {self.peer}')


def launch():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(BIND_TO)
        listener.listen()
        print('Listening on {}:{}'.format(*BIND_TO))
        while True:
            client_sock, peer = listener.accept()
            PngWorker(client_sock, peer).start()


if __name__ == '__main__':
    try:
        launch()
    except KeyboardInterrupt:
        print('Bye')
