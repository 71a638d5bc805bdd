import io
import random
import socket
import threading

from PIL import Image


def create_png():
    img = Image.new('RGB', (10, 10))
    pixels = img.load()
    for i in range(img.width):
        for j in range(img.height):
            pixels[i, j] = (random.randint(0, 255),
                            random.randint(0, 255),
                            random.randint(0, 255))
    buffer = io.BytesIO()
    img.save(buffer, format='PNG')
    return buffer.getvalue()


def client_thread(connection, address):
    try:
        connection.sendall(create_png())
        print(f'Sent an image to {address}')
    finally:
        connection.close()


port = int(input('Port: '))
server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.bind(('0.0.0.0', port))
server_socket.listen(10)
print(f'Listening on 0.0.0.0:{port}')

try:
    while True:
        connection, address = server_socket.accept()
        t = threading.Thread(target=client_thread, args=(connection, address))
        t.start()
except KeyboardInterrupt:
    print('Shutting down')
finally:
    server_socket.close()
