# =============================================================
#  Lab 2 - Frames server
#  Author: Mateo Fernandez
#  One thread per client: each thread makes a random 10x10
#  picture, sends it as PNG and closes the connection.
# =============================================================
import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'   # all the interfaces
PORT = 1234        # port from the handout
IMAGE_SIZE = 10    # the images are 10x10

# how many images we sent (only for the prints)
images_sent = 0
sent_lock = threading.Lock()


def random_color():
    """Returns a random (r, g, b) tuple."""
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def create_png():
    """Creates the random image and returns the bytes of the PNG file."""
    image = Image.new('RGB', (IMAGE_SIZE, IMAGE_SIZE))
    # paint every pixel with a random color
    for x in range(IMAGE_SIZE):
        for y in range(IMAGE_SIZE):
            image.putpixel((x, y), random_color())
    # save into memory instead of a file on the disk
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return buffer.getvalue()


def handle_client(connection, address):
    """Code of the thread: send one image and close."""
    global images_sent
    try:
        connection.sendall(create_png())
    except OSError as error:
        print(f'Error while sending to {address}: {error}')
        return
    finally:
        connection.close()  # closing tells the client that the image is complete
    with sent_lock:
        images_sent += 1
    print(f'Sent an image to {address}')


def main():
    # create the TCP socket
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # so that we can restart the server right away on the same port
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, PORT))
    server_socket.listen(100)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            # wait for a client
            connection, address = server_socket.accept()
            # new thread for every client
            thread = threading.Thread(target=handle_client, args=(connection, address))
            thread.daemon = True
            thread.start()
    except KeyboardInterrupt:
        # Ctrl-C
        print(f'\nServer stopped, {images_sent} images sent')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
