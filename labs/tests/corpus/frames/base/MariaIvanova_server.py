import io
import random
import socket
import threading

from PIL import Image

SERVER_IP = '0.0.0.0'
SERVER_PORT = 1234


def generate_image():
    image = Image.new('RGB', (10, 10))
    pixels = [(random.randint(0, 255), random.randint(0, 255),
               random.randint(0, 255)) for _ in range(100)]
    image.putdata(pixels)
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return buffer.getvalue()


def handle_client(conn, addr):
    with conn:
        conn.sendall(generate_image())
    print(f'Sent an image to {addr}')


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((SERVER_IP, SERVER_PORT))
    server_socket.listen()
    print(f'Listening on {SERVER_IP}:{SERVER_PORT}')
    try:
        while True:
            conn, addr = server_socket.accept()
            thread = threading.Thread(target=handle_client, args=(conn, addr))
            thread.start()
    except KeyboardInterrupt:
        print('Server is shutting down')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
