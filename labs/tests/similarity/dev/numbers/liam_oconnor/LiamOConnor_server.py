import argparse
import random
import socket
import threading

N = 250000
LIMIT = 999999999


def numbers_payload():
    values = (random.randint(-LIMIT, LIMIT) for _ in range(N))
    return ','.join(map(str, values)).encode()


def send_list(conn, addr):
    conn.sendall(numbers_payload())
    conn.close()
    print(f'Sent a file to {addr}')


def main():
    parser = argparse.ArgumentParser(description='Random numbers server')
    parser.add_argument('--port', type=int, default=12345)
    args = parser.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', args.port))
    sock.listen()
    print(f'Listening on 0.0.0.0:{args.port}')
    try:
        while True:
            conn, addr = sock.accept()
            threading.Thread(target=send_list, args=(conn, addr)).start()
    except KeyboardInterrupt:
        print('Shutting down')
    sock.close()


if __name__ == '__main__':
    main()
