import io
import random
import socket
import sys
import threading

from PIL import Image


def random_png():
    image = Image.new('RGB', (10, 10))
    for i in range(100):
        color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
        image.putpixel((i % 10, i // 10), color)
    data = io.BytesIO()
    image.save(data, format='PNG')
    return data.getvalue()


def handle(conn, addr):
    with conn:
        conn.sendall(random_png())
    print(f'Sent an image to {addr}')


def run(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', port))
        server.listen()
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            conn, addr = server.accept()
            threading.Thread(target=handle, args=(conn, addr), daemon=True).start()


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
    try:
        run(port)
    except KeyboardInterrupt:
        print('\nServer stopped')
