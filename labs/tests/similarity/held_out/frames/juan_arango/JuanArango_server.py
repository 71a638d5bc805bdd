import io
import random
import socket
import threading

from PIL import Image

SERVER_IP = '0.0.0.0'
SERVER_PORT = 1234


def build_frame():
    frame = Image.new('RGB', (10, 10))
    pixels = frame.load()
    for i in range(frame.width):
        for j in range(frame.height):
            pixels[i, j] = (random.randrange(256), random.randrange(256), random.randrange(256))
    output = io.BytesIO()
    frame.save(output, format='PNG')
    return output.getvalue()


def attend(connection, client_addr):
    connection.sendall(build_frame())
    connection.close()
    print('Sent an image to ({}, {})'.format(client_addr[0], client_addr[1]))


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((SERVER_IP, SERVER_PORT))
        sock.listen()
        print('Listening on {}:{}'.format(SERVER_IP, SERVER_PORT))
        while True:
            connection, client_addr = sock.accept()
            worker = threading.Thread(target=attend, args=(connection, client_addr))
            worker.start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Closing server...')
