import random
import socket
import sys
import threading

AMOUNT = 250000
LIMIT = 999999999


def numbers():
    for _ in range(AMOUNT):
        yield str(random.randint(-LIMIT, LIMIT))


def send_numbers(conn, addr):
    payload = ','.join(numbers())
    conn.sendall(payload.encode())
    conn.close()
    print(f'Sent a file to {addr}')


def main(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(5)
    print(f'Listening on 0.0.0.0:{port}')
    while True:
        try:
            conn, addr = s.accept()
        except KeyboardInterrupt:
            break
        threading.Thread(target=send_numbers, args=(conn, addr)).start()
    s.close()


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12345)
