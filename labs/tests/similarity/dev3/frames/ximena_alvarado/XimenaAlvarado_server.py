import io
import random
import socket
import threading

from PIL import Image

BIND_IP = '0.0.0.0'
BIND_PORT = 1234
DIM = 10


def worker(client_sock, client_addr):
    try:
        client_sock.sendall(random_picture())
        print(f'Sent an image to {client_addr}')
    finally:
        client_sock.close()


def random_picture():
    picture = Image.new('RGB', (DIM, DIM))
    for x in range(DIM):
        for y in range(DIM):
            rgb = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            picture.putpixel((x, y), rgb)
    out = io.BytesIO()
    picture.save(out, format='PNG')
    return out.getvalue()


def run_server():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((BIND_IP, BIND_PORT))
    sock.listen(100)
    print(f'Listening on {BIND_IP}:{BIND_PORT}')
    try:
        while True:
            client_sock, client_addr = sock.accept()
            threading.Thread(target=worker, args=(client_sock, client_addr),
                             daemon=True).start()
    except KeyboardInterrupt:
        print('\nServer stopped')
    finally:
        sock.close()


if __name__ == '__main__':
    run_server()
