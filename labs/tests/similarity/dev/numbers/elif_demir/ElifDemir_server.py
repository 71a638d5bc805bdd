import random
import socket
import sys
import threading


def make_list(count=250000):
    text = ''
    for i in range(count):
        if i > 0:
            text += ','
        text += str(random.randint(-999999999, 999999999))
    return text


def serve(conn, addr):
    try:
        conn.sendall(make_list().encode())
        print(f'Sent a file to {addr}')
    finally:
        conn.close()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(('0.0.0.0', port))
        sock.listen(20)
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            conn, addr = sock.accept()
            threading.Thread(target=serve, args=(conn, addr)).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('bye')
