"""Server for the frames lab.

Every client gets one random 10x10 PNG image, then the connection is closed.
Each connection is handled in a separate thread.
"""
import io
import random
import socket
import threading

from PIL import Image

# listen on all interfaces
HOST = '0.0.0.0'
# port from the handout
PORT = 1234
# size of the image in pixels
SIZE = 10


def generate_png():
    # build a list with one random colour per pixel
    pixels = []
    for _ in range(SIZE * SIZE):
        r = random.randint(0, 255)
        g = random.randint(0, 255)
        b = random.randint(0, 255)
        pixels.append((r, g, b))
    # put the pixels into a new image
    image = Image.new('RGB', (SIZE, SIZE))
    image.putdata(pixels)
    # save the image as PNG into memory instead of a file
    memory = io.BytesIO()
    image.save(memory, format='PNG')
    return memory.getvalue()


def handle_connection(conn, address):
    # this function runs in its own thread
    try:
        conn.sendall(generate_png())
        print(f'Sent an image to {address}')
    except OSError as error:
        # the client may have disconnected already
        print(f'Could not send to {address}: {error}')
    finally:
        conn.close()


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # allow restarting the server right away on the same port
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, PORT))
    server_socket.listen()
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            # wait for the next client
            conn, address = server_socket.accept()
            # one new thread per client
            thread = threading.Thread(target=handle_connection, args=(conn, address))
            thread.start()
    except KeyboardInterrupt:
        # Ctrl-C stops the server
        print('Server stopped by user')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
