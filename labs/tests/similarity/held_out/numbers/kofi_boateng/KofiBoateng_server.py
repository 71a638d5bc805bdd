import io
import random
import socket
import threading

SERVER_ADDRESS = ('0.0.0.0', 12345)
TOTAL_NUMBERS = 250000


def numbers_as_text():
    out = io.StringIO()
    for i in range(TOTAL_NUMBERS):
        if i > 0:
            out.write(',')
        out.write(str(random.randrange(-999999999, 10 ** 9)))
    return out.getvalue()


def deal_with(conn, who):
    try:
        conn.sendall(numbers_as_text().encode())
    finally:
        conn.close()
    print(f'Sent a file to {who}')


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(SERVER_ADDRESS)
        sock.listen(16)
        print('Listening on %s:%d' % SERVER_ADDRESS)
        try:
            while True:
                conn, who = sock.accept()
                threading.Thread(target=deal_with, args=(conn, who)).start()
        except KeyboardInterrupt:
            print('Server stopped by Ctrl-C')


if __name__ == '__main__':
    main()
