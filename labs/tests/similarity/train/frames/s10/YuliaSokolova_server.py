import io
import random
import socket
import threading

from PIL import Image

SERVER_HOST = '0.0.0.0'
SERVER_PORT = 1234
WIDTH = HEIGHT = 10


def random_image():
    image = Image.new('RGB', (WIDTH, HEIGHT))
    image.putdata([tuple(random.choices(range(256), k=3)) for _ in range(WIDTH * HEIGHT)])
    with io.BytesIO() as output:
        image.save(output, format='PNG')
        return output.getvalue()


def handle_client(client_socket, client_address):
    try:
        client_socket.sendall(random_image())
    finally:
        client_socket.close()
    print(f'Sent an image to {client_address}')


def serve():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server_socket:
        server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server_socket.bind((SERVER_HOST, SERVER_PORT))
        server_socket.listen()
        print(f'Listening on {SERVER_HOST}:{SERVER_PORT}')
        while True:
            client_socket, client_address = server_socket.accept()
            handler = threading.Thread(target=handle_client,
                                       args=(client_socket, client_address),
                                       daemon=True)
            handler.start()


if __name__ == '__main__':
    try:
        serve()
    except KeyboardInterrupt:
        print('Server stopped')
