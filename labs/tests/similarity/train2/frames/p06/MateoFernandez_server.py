import argparse
import io
import random
import socket
import threading

from PIL import Image


def parse_args():
    parser = argparse.ArgumentParser(description='Random frame server')
    parser.add_argument('--host', default='0.0.0.0')
    parser.add_argument('--port', type=int, default=1234)
    return parser.parse_args()


def generate_frame():
    colours = []
    for _ in range(10 * 10):
        colours.append((random.randint(0, 255), random.randint(0, 255), random.randint(0, 255)))
    frame = Image.new('RGB', (10, 10))
    frame.putdata(colours)
    buffer = io.BytesIO()
    frame.save(buffer, format='PNG')
    return buffer.getvalue()


def send_frame(client_socket, client_address):
    client_socket.sendall(generate_frame())
    client_socket.close()
    print(f'Sent an image to {client_address}')


def main():
    args = parse_args()
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((args.host, args.port))
    server_socket.listen(20)
    print(f'Listening on {args.host}:{args.port}')
    while True:
        try:
            client_socket, client_address = server_socket.accept()
        except KeyboardInterrupt:
            break
        thread = threading.Thread(target=send_frame, args=(client_socket, client_address))
        thread.start()
    server_socket.close()
    print('Server closed')


if __name__ == '__main__':
    main()
