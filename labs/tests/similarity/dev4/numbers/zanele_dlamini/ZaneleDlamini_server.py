import random
import socket
import threading

LOW, HIGH = -999999999, 999999999
AMOUNT = 250000


def random_numbers(amount):
    for _ in range(amount):
        yield str(random.randint(LOW, HIGH))


class Sender(threading.Thread):
    def __init__(self, conn, addr):
        super().__init__(daemon=True)
        self.conn = conn
        self.addr = addr

    def run(self):
        with self.conn:
            self.conn.sendall(','.join(random_numbers(AMOUNT)).encode())
        print(f'Sent a file to {self.addr}')


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', 12345))
        server.listen(16)
        print('Listening on 0.0.0.0:12345')
        while True:
            conn, addr = server.accept()
            Sender(conn, addr).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Server stopped.')
