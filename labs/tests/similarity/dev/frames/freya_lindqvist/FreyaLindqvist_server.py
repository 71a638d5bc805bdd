# Frames lab server - Freya Lindqvist
# Every client gets a random 10x10 PNG, then the connection is closed.
import io
import random
import socket
import threading

from PIL import Image

# listen on every interface
HOST = '0.0.0.0'
# port from the handout
PORT = 1234
# width and height of a frame in pixels
FRAME_SIZE = 10


def random_color():
    # one random RGB colour
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def make_png():
    # start with an empty (black) image
    image = Image.new('RGB', (FRAME_SIZE, FRAME_SIZE))
    # give every pixel its own colour
    for x in range(FRAME_SIZE):
        for y in range(FRAME_SIZE):
            image.putpixel((x, y), random_color())
    # save it as a PNG into memory instead of a file
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return buffer.getvalue()


def handle_client(conn, addr):
    # this function runs in its own thread, one per client
    png = make_png()
    conn.sendall(png)
    # closing the connection tells the client that the image is complete
    conn.close()
    print(f'Sent an image to {addr} ({len(png)} bytes)')


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        # allow restarting the server right away
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((HOST, PORT))
        server.listen()
        print(f'Listening on {HOST}:{PORT}')
        try:
            while True:
                conn, addr = server.accept()
                # a new thread for each connection
                thread = threading.Thread(target=handle_client, args=(conn, addr))
                thread.start()
        except KeyboardInterrupt:
            # Ctrl-C ends the loop, the with block closes the socket
            print('Ctrl-C pressed, closing the server')


if __name__ == '__main__':
    main()
