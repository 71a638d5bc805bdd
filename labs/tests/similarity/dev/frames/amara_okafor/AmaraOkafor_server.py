import random
import socket
import threading
from io import BytesIO

from PIL import Image

SERVER_HOST = '0.0.0.0'
SERVER_PORT = 1234
WIDTH = 10
HEIGHT = 10


class ClientHandler(threading.Thread):
    def __init__(self, client_socket, client_address):
        threading.Thread.__init__(self)
        self.client_socket = client_socket
        self.client_address = client_address

    def create_image(self):
        image = Image.new('RGB', (WIDTH, HEIGHT))
        for pixel in range(WIDTH * HEIGHT):
            x, y = pixel % WIDTH, pixel // WIDTH
            red = random.randint(0, 255)
            green = random.randint(0, 255)
            blue = random.randint(0, 255)
            image.putpixel((x, y), (red, green, blue))
        stream = BytesIO()
        image.save(stream, 'PNG')
        return stream.getvalue()

    def run(self):
        self.client_socket.sendall(self.create_image())
        self.client_socket.close()
        print('Sent an image to', self.client_address)


server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.bind((SERVER_HOST, SERVER_PORT))
server_socket.listen(5)
print('Listening on {}:{}'.format(SERVER_HOST, SERVER_PORT))

while True:
    try:
        client_socket, client_address = server_socket.accept()
        ClientHandler(client_socket, client_address).start()
    except KeyboardInterrupt:
        print('Closing server')
        server_socket.close()
        break
