import random
import socket
import threading

PORT = 12345
AMOUNT = 250_000
VALUES = range(-999_999_999, 1_000_000_000)


class Sender(threading.Thread):

    def __init__(self, conn, addr):
        threading.Thread.__init__(self)
        self.conn = conn
        self.addr = addr

    def run(self):
        numbers = random.choices(VALUES, k=AMOUNT)
        payload = ','.join(map(str, numbers)).encode()
        with self.conn:
            self.conn.sendall(payload)
        print('Sent a file to', self.addr)


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(('0.0.0.0', PORT))
        srv.listen()
        print(f'Listening on 0.0.0.0:{PORT}')
        while True:
            try:
                conn, addr = srv.accept()
            except KeyboardInterrupt:
                print('Stopped')
                break
            Sender(conn, addr).start()


if __name__ == '__main__':
    main()
