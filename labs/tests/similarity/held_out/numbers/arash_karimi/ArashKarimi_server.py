import random
import socket
import sys
import threading

DEFAULT_PORT = 12345


def numbers_payload():
    values = random.sample(range(-999999999, 1000000000), 250000)
    return ','.join(map(str, values)).encode()


def worker(conn, addr):
    try:
        conn.sendall(numbers_payload())
    except (BrokenPipeError, ConnectionResetError):
        print(f'Client {addr} went away')
    else:
        print(f'Sent a file to {addr}')
    finally:
        conn.close()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', port))
        server.listen(64)
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            conn, addr = server.accept()
            threading.Thread(target=worker, args=(conn, addr)).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('\nbye')
