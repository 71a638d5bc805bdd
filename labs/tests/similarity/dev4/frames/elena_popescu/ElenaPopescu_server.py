import io
import random
import socket
import threading

from PIL import Image

ADDRESS = '0.0.0.0'
PORT_NUMBER = 1234


def generate_picture():
    picture = Image.new('RGB', (10, 10))
    for col in range(10):
        for row in range(10):
            picture.putpixel((col, row), (random.randint(0, 255), random.randint(0, 255),
                                          random.randint(0, 255)))
    stream = io.BytesIO()
    picture.save(stream, format='PNG')
    return stream.getvalue()


def client_thread(client, client_addr):
    client.sendall(generate_picture())
    client.close()
    print(f'Sent an image to {client_addr}')


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((ADDRESS, PORT_NUMBER))
listener.listen()
print(f'Listening on {ADDRESS}:{PORT_NUMBER}')
try:
    while True:
        client, client_addr = listener.accept()
        threading.Thread(target=client_thread, args=(client, client_addr)).start()
except KeyboardInterrupt:
    print('Closing the server')
finally:
    listener.close()
