import random
import socket
import threading


class NumbersServer:
    LOW = -999999999
    HIGH = 999999999
    SIZE = 250000

    def __init__(self, port=12345):
        self.address = ('0.0.0.0', port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.running = False

    def numbers(self):
        return [random.randrange(self.LOW, self.HIGH + 1) for _ in range(self.SIZE)]

    def encode(self, numbers):
        return ','.join(map(str, numbers)).encode('ascii')

    def handle(self, conn, addr):
        with conn:
            conn.sendall(self.encode(self.numbers()))
        print(f'Sent a file to {addr}')

    def start(self):
        self.listener.bind(self.address)
        self.listener.listen()
        self.running = True
        print('Listening on %s:%d' % self.address)
        while self.running:
            conn, addr = self.listener.accept()
            threading.Thread(target=self.handle, args=(conn, addr)).start()

    def stop(self):
        self.running = False
        self.listener.close()


if __name__ == '__main__':
    server = NumbersServer()
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
        print('Server stopped')
