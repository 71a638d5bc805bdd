import os
import secrets
import socket
import threading

PORT = int(os.environ.get('NUMBERS_PORT', '12345'))
TOTAL = 250000
SPAN = 2 * 999999999 + 1   # how many values from -999999999 to 999999999


def one_number():
    return secrets.randbelow(SPAN) - 999999999


def numbers_message():
    return ','.join(str(one_number()) for _ in range(TOTAL)).encode()


def reply(conn, who):
    with conn:
        conn.sendall(numbers_message())
    print(f'Sent a file to {who}')


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(('0.0.0.0', PORT))
        sock.listen(32)
        print(f'Listening on 0.0.0.0:{PORT}')
        try:
            while True:
                conn, who = sock.accept()
                threading.Thread(target=reply, args=(conn, who), daemon=True).start()
        except KeyboardInterrupt:
            print('server stopped')


if __name__ == '__main__':
    main()
