import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234
SIZE = 10


def make_png():
    img = Image.new('RGB', (SIZE, SIZE))
    for x in range(SIZE):
        for y in range(SIZE):
            img.putpixel((x, y), (random.randint(0, 255),
                                  random.randint(0, 255),
                                  random.randint(0, 255)))
    buffer = io.BytesIO()
    img.save(buffer, format='PNG')
    return buffer.getvalue()


def serve(conn, addr):
    try:
        conn.sendall(make_png())
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
            threading.Thread(target=serve, args=(conn, addr)).start()
    except KeyboardInterrupt:
        print('\nbye')
    finally:
        server.close()


if __name__ == '__main__':
    main()
