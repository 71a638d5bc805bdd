import io
import random
import socket
import threading

from PIL import Image

IP = '0.0.0.0'
PORT = 1234
SIZE = 10


def build_png():
    image = Image.new('RGB', (SIZE, SIZE))
    pixels = image.load()
    for i in range(SIZE):
        for j in range(SIZE):
            pixels[i, j] = (random.getrandbits(8), random.getrandbits(8), random.getrandbits(8))
    data = io.BytesIO()
    image.save(data, 'PNG')
    return data.getvalue()


def on_connection(connection, address):
    with connection:
        connection.sendall(build_png())
    print(f'Sent an image to {address}')


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((IP, PORT))
    listener.listen()
    print(f'Listening on {IP}:{PORT}')
    while True:
        try:
            connection, address = listener.accept()
        except KeyboardInterrupt:
            break
        worker = threading.Thread(target=on_connection, args=(connection, address))
        worker.start()
    listener.close()


if __name__ == '__main__':
    main()
