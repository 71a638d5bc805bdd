import random
import socket
from threading import Thread

SERVER_ADDRESS = ('0.0.0.0', 12345)
NUMBERS = 250000


def number_string():
    text = str(random.randint(-999999999, 999999999))
    for _ in range(NUMBERS - 1):
        text += ',' + str(random.randint(-999999999, 999999999))
    return text


def client_handler(sock, address):
    data = number_string().encode()
    sock.sendall(data)
    sock.close()
    print(f'Sent a file to {address}')


if __name__ == '__main__':
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(SERVER_ADDRESS)
    server.listen(10)
    print('Listening on %s:%s' % SERVER_ADDRESS)
    try:
        while True:
            sock, address = server.accept()
            Thread(target=client_handler, args=(sock, address)).start()
    except KeyboardInterrupt:
        print('Closing server')
        server.close()
