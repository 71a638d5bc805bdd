import random
import socket
import threading

PORT = 12345
NUMBERS = 250000


def random_numbers(n):
    for _ in range(n):
        yield random.randint(-999999999, 999999999)


class NumberServer:
    def __init__(self, host, port):
        self.host = host
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sent = 0
        self.lock = threading.Lock()

    def handle(self, conn, addr):
        data = ','.join(map(str, random_numbers(NUMBERS)))
        conn.sendall(data.encode())
        conn.close()
        with self.lock:
            self.sent += 1
        print(f'Sent a file to {addr}')

    def start(self):
        self.sock.bind((self.host, self.port))
        self.sock.listen()
        print(f'Listening on {self.host}:{self.port}')
        try:
            while True:
                conn, addr = self.sock.accept()
                threading.Thread(target=self.handle, args=(conn, addr)).start()
        except KeyboardInterrupt:
            print(f'Stopped after {self.sent} files')
        finally:
            self.sock.close()


if __name__ == '__main__':
    NumberServer('0.0.0.0', PORT).start()
