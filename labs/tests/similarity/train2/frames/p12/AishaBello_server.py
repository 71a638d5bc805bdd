import io
import random
import socket
import threading

from PIL import Image

BIND_IP = '0.0.0.0'
BIND_PORT = 1234
SIDE = 10


def random_picture():
    pic = Image.new('RGB', (SIDE, SIDE))
    for col in range(SIDE):
        for row in range(SIDE):
            pic.putpixel((col, row), (random.randint(0, 255),
                                      random.randint(0, 255),
                                      random.randint(0, 255)))
    stream = io.BytesIO()
    pic.save(stream, format='PNG')
    return stream.getvalue()


def handle_client(client, peer):
    try:
        client.sendall(random_picture())
    finally:
        client.close()
    print(f'Sent an image to {peer}')


def run():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((BIND_IP, BIND_PORT))
    listener.listen(100)
    print(f'Listening on {BIND_IP}:{BIND_PORT}')
    try:
        while True:
            client, peer = listener.accept()
            threading.Thread(target=handle_client, args=(client, peer), daemon=True).start()
    except KeyboardInterrupt:
        print('\nServer stopped')
    finally:
        listener.close()


if __name__ == '__main__':
    run()
