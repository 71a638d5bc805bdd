import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234
SIZE = 10


def make_image():
    img = Image.new('RGB', (SIZE, SIZE))
    for x in range(SIZE):
        for y in range(SIZE):
            img.putpixel((x, y), (random.randint(0, 255),
                                  random.randint(0, 255),
                                  random.randint(0, 255)))
    buffer = io.BytesIO()
    img.save(buffer, format='PNG')
    return buffer.getvalue()


def handle_client(conn, addr):
    try:
        conn.sendall(make_image())
        print(f'Sent an image to {addr}')
    finally:
        conn.close()


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(100)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = server.accept()
            thread = threading.Thread(target=handle_client, args=(conn, addr))
            thread.daemon = True
            thread.start()
    except KeyboardInterrupt:
        print('\nShutting down')
    finally:
        server.close()


if __name__ == '__main__':
    main()
