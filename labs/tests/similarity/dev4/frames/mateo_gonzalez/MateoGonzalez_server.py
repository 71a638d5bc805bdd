import io
import random
import socket
import threading

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)


class ClientThread(threading.Thread):
    def __init__(self, connection, address):
        super().__init__()
        self.connection = connection
        self.address = address

    def run(self):
        image = Image.new('RGB', (10, 10))
        pixels = image.load()
        for i in range(10):
            for j in range(10):
                pixels[i, j] = tuple(random.getrandbits(8) for _ in range(3))
        buffer = io.BytesIO()
        image.save(buffer, 'png')
        self.connection.sendall(buffer.getvalue())
        self.connection.close()
        print('Sent an image to', self.address)


def main():
    server_socket = socket.socket()
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(ADDRESS)
    server_socket.listen(50)
    print('Listening on %s:%d' % ADDRESS)
    while True:
        try:
            connection, address = server_socket.accept()
        except KeyboardInterrupt:
            break
        ClientThread(connection, address).start()
    server_socket.close()


if __name__ == '__main__':
    main()
