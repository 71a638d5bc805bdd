import io
import random
import socket
import sys
import threading

from PIL import Image


def random_png():
    image = Image.new('RGB', (10, 10))
    pixels = image.load()
    for i in range(10):
        for j in range(10):
            pixels[i, j] = tuple(random.randrange(256) for _ in range(3))
    with io.BytesIO() as buffer:
        image.save(buffer, 'PNG')
        return buffer.getvalue()


def handle(client, address):
    with client:
        client.sendall(random_png())
    print(f'Sent an image to {address}')


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(('0.0.0.0', port))
        s.listen(50)
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            try:
                client, address = s.accept()
            except KeyboardInterrupt:
                print('Server stopped')
                break
            threading.Thread(target=handle, args=(client, address)).start()


if __name__ == '__main__':
    main()
