import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
AMOUNT = 250000
VALUES = range(-999999999, 1000000000)


class NumbersThread(threading.Thread):
    def __init__(self, conn, addr):
        super().__init__(daemon=True)
        self.conn = conn
        self.addr = addr

    def run(self):
        picked = random.choices(VALUES, k=AMOUNT)
        payload = ','.join(str(n) for n in picked)
        with self.conn:
            self.conn.sendall(payload.encode())
        print(f'Sent a file to {self.addr}')


if __name__ == '__main__':
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((HOST, PORT))
        srv.listen()
        print(f'Listening on {HOST}:{PORT}')
        try:
            while True:
                NumbersThread(*srv.accept()).start()
        except KeyboardInterrupt:
            print('Closing')
