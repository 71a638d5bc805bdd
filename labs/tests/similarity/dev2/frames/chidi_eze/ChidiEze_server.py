import argparse
import io
import random
import socket
import threading

from PIL import Image


def png_bytes():
    raw = random.randbytes(10 * 10 * 3)
    img = Image.frombytes('RGB', (10, 10), raw)
    data = io.BytesIO()
    img.save(data, format='PNG')
    return data.getvalue()


def on_connect(sock, peer):
    try:
        sock.sendall(png_bytes())
    finally:
        sock.close()
    print(f'Sent an image to {peer}')


def parse():
    ap = argparse.ArgumentParser(description='random PNG server')
    ap.add_argument('--host', default='0.0.0.0')
    ap.add_argument('--port', type=int, default=1234)
    return ap.parse_args()


def main():
    opts = parse()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((opts.host, opts.port))
    listener.listen(64)
    print(f'Listening on {opts.host}:{opts.port}')
    while True:
        try:
            sock, peer = listener.accept()
        except KeyboardInterrupt:
            print('exit')
            break
        threading.Thread(target=on_connect, args=(sock, peer)).start()
    listener.close()


if __name__ == '__main__':
    main()
