# Kwame Asante - frames lab server
# Every client that connects gets one random 10x10 PNG image and then the
# connection is closed. Each client is served in its own thread so that many
# clients can download at the same time.
import io
import random
import socket
import threading

from PIL import Image

# listen on all interfaces
HOST = '0.0.0.0'
# the port from the handout
PORT = 1234
# width and height of the image in pixels
IMAGE_SIZE = 10


def create_random_image():
    # start with an empty (black) RGB image
    image = Image.new('RGB', (IMAGE_SIZE, IMAGE_SIZE))
    # give every pixel a random colour
    for y in range(IMAGE_SIZE):
        for x in range(IMAGE_SIZE):
            red = random.randint(0, 255)
            green = random.randint(0, 255)
            blue = random.randint(0, 255)
            image.putpixel((x, y), (red, green, blue))
    # save it as PNG into memory instead of into a file on the disk
    png = io.BytesIO()
    image.save(png, format='PNG')
    return png.getvalue()


def handle_client(client_socket, client_address):
    # this function runs in its own thread, one for every client
    try:
        image_bytes = create_random_image()
        # sendall keeps sending until everything is sent
        client_socket.sendall(image_bytes)
        print(f'Sent an image to {client_address}')
    except OSError as error:
        # a client can disconnect early, the server should not crash then
        print(f'Error with {client_address}: {error}')
    finally:
        # closing the socket tells the client that the image is complete
        client_socket.close()


def main():
    # the with-statement closes the server socket at the end
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server_socket:
        # allow reusing the port right after restarting the server
        server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server_socket.bind((HOST, PORT))
        server_socket.listen()
        print(f'Listening on {HOST}:{PORT}')
        try:
            while True:
                # wait for the next client
                client_socket, client_address = server_socket.accept()
                # start a new thread for this client and go back to accept()
                thread = threading.Thread(target=handle_client,
                                          args=(client_socket, client_address))
                thread.start()
        except KeyboardInterrupt:
            # Ctrl-C stops the server
            print('Server is shutting down')


if __name__ == '__main__':
    main()
