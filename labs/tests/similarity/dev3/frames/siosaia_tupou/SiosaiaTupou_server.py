import io
import random
import socket
import threading

from PIL import Image

IP = '0.0.0.0'
PORT = 1234


def png_for_client():
    pixels = bytearray(random.getrandbits(8) for _ in range(300))
    img = Image.frombytes('RGB', (10, 10), bytes(pixels))
    with io.BytesIO() as f:
        img.save(f, 'PNG')
        return f.getvalue()


def talk_to(client, where):
    try:
        client.sendall(png_for_client())
        print('Sent an image to', where)
    except ConnectionError:
        print('Lost', where)
    finally:
        client.close()


if __name__ == '__main__':
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((IP, PORT))
    srv.listen(64)
    print(f'Listening on {IP}:{PORT}')
    try:
        while True:
            client, where = srv.accept()
            threading.Thread(target=talk_to, kwargs={'client': client, 'where': where}).start()
    except KeyboardInterrupt:
        print('bye')
    srv.close()
