"""Frame server: every client gets one random 10x10 PNG, then the connection is closed."""
import io
import random
import socket
import threading

from PIL import Image

BIND_ADDRESS = ('0.0.0.0', 1234)
WIDTH = HEIGHT = 10


def random_frame():
    values = iter(random.choices(range(256), k=WIDTH * HEIGHT * 3))
    frame = Image.new('RGB', (WIDTH, HEIGHT))
    frame.putdata(list(zip(values, values, values)))
    png = io.BytesIO()
    frame.save(png, format='PNG')
    return png.getvalue()


def serve_connection(connection, address):
    with connection:
        connection.sendall(random_frame())
    print('Sent an image to', address)


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(BIND_ADDRESS)
    listener.listen(64)
    print('Listening on {}:{}'.format(*BIND_ADDRESS))
    while True:
        try:
            connection, address = listener.accept()
        except KeyboardInterrupt:
            print('Stopping.')
            break
        worker = threading.Thread(target=serve_connection, args=(connection, address))
        worker.daemon = True
        worker.start()
    listener.close()


if __name__ == '__main__':
    main()
