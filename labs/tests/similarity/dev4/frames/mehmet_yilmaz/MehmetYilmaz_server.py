# Frames server - Mehmet Yilmaz
# Sends a random 10x10 PNG to every client, one thread per connection.
import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'   # all interfaces
PORT = 1234
SIZE = 10          # the image is SIZE x SIZE pixels


def random_image_bytes():
    # new black image, then give every pixel a random colour
    image = Image.new('RGB', (SIZE, SIZE))
    for x in range(SIZE):
        for y in range(SIZE):
            r = random.randint(0, 255)
            g = random.randint(0, 255)
            b = random.randint(0, 255)
            image.putpixel((x, y), (r, g, b))
    # save the PNG into memory instead of a file
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return buffer.getvalue()


def handle_client(conn, addr):
    # runs in its own thread
    conn.sendall(random_image_bytes())
    conn.close()
    print(f'Sent an image to {addr}')


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # so the server can be restarted immediately
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, PORT))
    server_socket.listen()
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = server_socket.accept()
            # a new thread for every client
            thread = threading.Thread(target=handle_client, args=(conn, addr))
            thread.start()
    except KeyboardInterrupt:
        print('Shutting down...')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
