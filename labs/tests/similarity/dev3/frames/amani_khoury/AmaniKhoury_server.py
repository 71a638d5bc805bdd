#!/usr/bin/env python3
"""Random frame server for the frames lab.

Usage: python3 JelenaKovacevic_server.py [--host HOST] [--port PORT]
"""
import argparse
import io
import random
import socket
import threading

from PIL import Image

FRAME_SIZE = (10, 10)


def png_bytes():
    raw = random.randbytes(FRAME_SIZE[0] * FRAME_SIZE[1] * 3)
    image = Image.frombytes('RGB', FRAME_SIZE, raw)
    with io.BytesIO() as out:
        image.save(out, format='PNG')
        return out.getvalue()


def client_thread(conn, peer):
    with conn:
        conn.sendall(png_bytes())
    print(f'Sent an image to {peer}')


def parse_args():
    parser = argparse.ArgumentParser(description='Sends a random 10x10 PNG per connection.')
    parser.add_argument('--host', default='0.0.0.0')
    parser.add_argument('--port', type=int, default=1234)
    return parser.parse_args()


def serve(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(128)
        print(f'Listening on {host}:{port}')
        while True:
            conn, peer = server.accept()
            threading.Thread(target=client_thread, args=(conn, peer), daemon=True).start()


def main():
    args = parse_args()
    try:
        serve(args.host, args.port)
    except KeyboardInterrupt:
        print('Interrupted, bye.')


if __name__ == '__main__':
    main()
