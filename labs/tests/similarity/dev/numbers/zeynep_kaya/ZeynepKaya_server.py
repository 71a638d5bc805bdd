# Server for the numbers task: one thread per client, and every client
# receives a fresh list of random integers.
import random
import socket
import threading

LISTEN_ADDR = '0.0.0.0'
LISTEN_PORT = 12345
LIST_LENGTH = 250000
LOWEST = -999999999
HIGHEST = 999999999


def random_csv():
    values = []
    for _ in range(LIST_LENGTH):
        values.append(str(random.randint(LOWEST, HIGHEST)))
    return ','.join(values)


def serve_peer(sock, peer):
    try:
        sock.sendall(random_csv().encode())
        print(f'Sent a file to {peer}')
    except OSError as exc:
        print(f'Could not send to {peer}: {exc}')
    finally:
        sock.close()


def run_server():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LISTEN_ADDR, LISTEN_PORT))
        listener.listen()
        print(f'Listening on {LISTEN_ADDR}:{LISTEN_PORT}')
        while True:
            sock, peer = listener.accept()
            t = threading.Thread(target=serve_peer, args=(sock, peer), daemon=True)
            t.start()


if __name__ == '__main__':
    try:
        run_server()
    except KeyboardInterrupt:
        print('Server stopped with Ctrl-C')
