import random
import socket
import threading

LISTEN_HOST = '0.0.0.0'
LISTEN_PORT = 12345
N = 250000
BOUND = 999999999


def numbers_csv():
    return ','.join(map(str, (random.randint(-BOUND, BOUND) for _ in range(N))))


def start_sender(conn, addr):
    def send():
        try:
            conn.sendall(numbers_csv().encode())
            print(f'Sent a file to {addr}')
        finally:
            conn.close()
    threading.Thread(target=send).start()


if __name__ == '__main__':
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((LISTEN_HOST, LISTEN_PORT))
    srv.listen(10)
    print(f'Listening on {LISTEN_HOST}:{LISTEN_PORT}')
    while True:
        try:
            conn, addr = srv.accept()
        except KeyboardInterrupt:
            print()
            break
        start_sender(conn, addr)
    srv.close()
