# Frames server - Marisol Quintanilla
# Every client gets its own thread, which sends one random 10x10 PNG image
# and then closes the connection.
import io
import random
import socket
import threading

from PIL import Image

WIDTH = 10
HEIGHT = 10


def create_png():
    # start with a black image and give every pixel a random colour
    image = Image.new('RGB', (WIDTH, HEIGHT), 'black')
    pixels = image.load()
    for y in range(HEIGHT):
        for x in range(WIDTH):
            red = random.randint(0, 255)
            green = random.randint(0, 255)
            blue = random.randint(0, 255)
            pixels[x, y] = (red, green, blue)
    # save the PNG in memory instead of a file on disk
    memory_file = io.BytesIO()
    image.save(memory_file, 'PNG')
    return memory_file.getvalue()


def send_image(client_socket, client_address):
    # the with closes the socket when the image has been sent
    with client_socket:
        client_socket.sendall(create_png())
    print(f'Sent an image to {client_address}')


def start_server(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server_socket:
        # so that I can restart the server right away
        server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server_socket.bind(('0.0.0.0', port))
        server_socket.listen(50)
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            client_socket, client_address = server_socket.accept()
            new_thread = threading.Thread(target=send_image,
                                          args=(client_socket, client_address))
            new_thread.start()


if __name__ == '__main__':
    port = int(input('Port: '))
    try:
        start_server(port)
    except KeyboardInterrupt:
        print('Server stopped')
