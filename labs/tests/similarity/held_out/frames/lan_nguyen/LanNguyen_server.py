import random
import socket
import threading
from io import BytesIO

from PIL import Image


def random_frame():
    raw = bytes(random.randint(0, 255) for _ in range(300))
    frame = Image.frombytes('RGB', (10, 10), raw)
    out = BytesIO()
    frame.save(out, format='PNG')
    return out.getvalue()


def serve_client(sock, addr):
    with sock:
        sock.sendall(random_frame())
    print(f'Sent an image to ({addr[0]}, {addr[1]})')


def run(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', port))
    listener.listen()
    print(f'Listening on 0.0.0.0:{port}')
    while True:
        sock, addr = listener.accept()
        threading.Thread(target=serve_client, args=(sock, addr)).start()


if __name__ == '__main__':
    port = int(input('Port: '))
    try:
        run(port)
    except KeyboardInterrupt:
        print('Server stopped.')
