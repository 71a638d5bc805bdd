import io
import random
import socket
import sys
import threading

from PIL import Image


def random_png():
    image = Image.new('RGB', (10, 10), 'black')
    for y in range(image.height):
        for x in range(image.width):
            color = tuple(random.randint(0, 255) for _ in range(3))
            image.putpixel((x, y), color)
    with io.BytesIO() as out:
        image.save(out, 'png')
        return out.getvalue()


def serve_client(client, address):
    try:
        client.sendall(random_png())
        print(f'Sent an image to {address}')
    finally:
        client.close()


def run(port):
    with socket.socket() as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(('0.0.0.0', port))
        srv.listen(50)
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            client, address = srv.accept()
            threading.Thread(target=serve_client, args=(client, address), daemon=True).start()


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
    try:
        run(port)
    except KeyboardInterrupt:
        print('\nStopped')
