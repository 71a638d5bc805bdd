import random
import socket
import sys
import threading

DEFAULT_PORT = 12345
LIST_LENGTH = 250000
VALUES = range(-999999999, 1000000000)


def numbers_as_text():
    return ','.join(map(str, random.sample(VALUES, LIST_LENGTH)))


def handle(sock, addr):
    try:
        sock.sendall(numbers_as_text().encode())
        print(f'Sent a file to {addr}')
    except (BrokenPipeError, ConnectionResetError):
        print(f'Client {addr} went away')
    finally:
        sock.close()


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PORT
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', port))
    listener.listen(64)
    print(f'Listening on 0.0.0.0:{port}')
    while True:
        try:
            sock, addr = listener.accept()
        except KeyboardInterrupt:
            print()
            break
        threading.Thread(target=handle, args=(sock, addr), daemon=True).start()
    listener.close()
