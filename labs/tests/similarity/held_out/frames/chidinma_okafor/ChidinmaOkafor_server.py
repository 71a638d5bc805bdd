import random
import socket
import threading
from io import BytesIO

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234


def make_image():
    img = Image.new('RGB', (10, 10))
    for x in range(10):
        for y in range(10):
            color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            img.putpixel((x, y), color)
    buffer = BytesIO()
    img.save(buffer, format='PNG')
    return buffer.getvalue()


def handle_connection(conn, addr):
    try:
        conn.sendall(make_image())
    finally:
        conn.close()
    print(f'Sent an image to {addr}')


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(100)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = server.accept()
            thread = threading.Thread(target=handle_connection, args=(conn, addr))
            thread.start()
    except KeyboardInterrupt:
        print('\nServer stopped')
    finally:
        server.close()


if __name__ == '__main__':
    main()
