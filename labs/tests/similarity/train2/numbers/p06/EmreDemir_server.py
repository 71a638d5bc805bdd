import random
import socket
from threading import Thread

ADDRESS = '0.0.0.0'
PORT = 12345


def get_numbers():
    gen = (random.randint(-999999999, 999999999) for _ in range(250000))
    return ','.join(map(str, gen))


def handle(conn, addr):
    try:
        conn.sendall(get_numbers().encode())
    finally:
        conn.close()
    print(f'Sent a file to {addr}')


def run_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((ADDRESS, PORT))
    s.listen()
    print(f'Listening on {ADDRESS}:{PORT}')
    try:
        while True:
            conn, addr = s.accept()
            Thread(target=handle, args=(conn, addr)).start()
    finally:
        s.close()


if __name__ == '__main__':
    try:
        run_server()
    except KeyboardInterrupt:
        print('Server stopped')
