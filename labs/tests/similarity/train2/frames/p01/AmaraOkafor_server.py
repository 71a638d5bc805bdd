"""Frames server - Amara Okafor.

Every client that connects gets its own thread, which draws a random
10x10 RGB picture, sends it as PNG bytes and closes the connection.
"""
import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'
DEFAULT_PORT = 1234
IMAGE_SIZE = (10, 10)


def random_color():
    # one random value per channel: red, green, blue
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def create_png():
    # start from a black image and colour each pixel
    image = Image.new('RGB', IMAGE_SIZE)
    for x in range(IMAGE_SIZE[0]):
        for y in range(IMAGE_SIZE[1]):
            image.putpixel((x, y), random_color())
    # save into memory instead of a file on disk
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return buffer.getvalue()


def client_thread(connection, address):
    # this runs in its own thread for every client
    try:
        connection.sendall(create_png())
        print(f'Sent an image to {address}')
    except OSError as error:
        # the client may have gone away already, that's not our problem
        print(f'Could not send to {address}: {error}')
    finally:
        connection.close()


def start_server(port):
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # so that a restarted server can take the port back at once
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, port))
    server_socket.listen()
    print(f'Listening on {HOST}:{port}')
    try:
        while True:
            connection, address = server_socket.accept()
            # a new thread for every connection
            thread = threading.Thread(target=client_thread, args=(connection, address))
            thread.start()
    except KeyboardInterrupt:
        # Ctrl-C stops the server
        print('\nServer stopped by the user')
    finally:
        server_socket.close()


if __name__ == '__main__':
    answer = input(f'Port [{DEFAULT_PORT}]: ').strip()
    start_server(int(answer) if answer else DEFAULT_PORT)
