import io
import random
import socket
import sys
import threading

from PIL import Image

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 1234


def random_png():
    pixels = [(random.randrange(256), random.randrange(256), random.randrange(256))
              for _ in range(100)]
    image = Image.new('RGB', (10, 10))
    image.putdata(pixels)
    stream = io.BytesIO()
    image.save(stream, format='PNG')
    return stream.getvalue()


def handle(conn):
    try:
        conn.sendall(random_png())
        print(f'Sent an image to {conn.getpeername()}')
    finally:
        conn.close()


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', PORT))
    sock.listen(100)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=handle, args=(conn,)).start()
    except KeyboardInterrupt:
        print('\nBye')
    finally:
        sock.close()


if __name__ == '__main__':
    main()
