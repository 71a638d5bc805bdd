import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
COUNT = 250000
LOW, HIGH = -999999999, 999999999


def make_payload():
    numbers = [random.randint(LOW, HIGH) for _ in range(COUNT)]
    return ','.join(str(n) for n in numbers).encode('ascii')


def client_handler(conn, addr):
    with conn:
        conn.sendall(make_payload())
    print(f'Sent a file to {addr}')


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST, PORT))
    srv.listen(100)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = srv.accept()
            threading.Thread(target=client_handler, args=(conn, addr)).start()
    except KeyboardInterrupt:
        print('Server stopped.')
    finally:
        srv.close()


if __name__ == '__main__':
    main()
