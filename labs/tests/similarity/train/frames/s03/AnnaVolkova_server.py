import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234


def make_image():
    img = Image.new('RGB', (10, 10))
    for x in range(10):
        for y in range(10):
            color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            img.putpixel((x, y), color)
    buf = io.BytesIO()
    img.save(buf, 'PNG')
    return buf.getvalue()


def serve_client(client, address):
    client.sendall(make_image())
    client.close()
    print(f'Sent an image to {address}')


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(100)
    print(f'Listening on {HOST}:{PORT}')
    while True:
        try:
            client, address = server.accept()
        except KeyboardInterrupt:
            print('Server stopped')
            break
        threading.Thread(target=serve_client, args=(client, address)).start()
    server.close()


main()
