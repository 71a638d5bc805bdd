import random
import socket
import sys
import threading

DEFAULT_PORT = 12345
AMOUNT = 250000
MIN_VALUE = -999999999
MAX_VALUE = 999999999


def numbers_payload():
    values = (random.randrange(MIN_VALUE, MAX_VALUE + 1) for _ in range(AMOUNT))
    return ','.join(map(str, values)).encode()


def serve_client(conn, addr):
    with conn:
        conn.sendall(numbers_payload())
    print(f'Sent a file to {addr}')


def get_port():
    if len(sys.argv) < 2:
        return DEFAULT_PORT
    try:
        return int(sys.argv[1])
    except ValueError:
        sys.exit(f'usage: {sys.argv[0]} [port]')


def main():
    port = get_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', port))
        server.listen()
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            conn, addr = server.accept()
            threading.Thread(target=serve_client, args=(conn, addr), daemon=True).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('\nServer shut down')
