import random
import socket
import threading


class NumberServer:
    COUNT = 250000
    LIMIT = 999999999

    def __init__(self, host='0.0.0.0', port=12345):
        self.host = host
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def payload(self):
        limit = self.LIMIT
        return ','.join([str(random.randint(-limit, limit)) for _ in range(self.COUNT)])

    def handle(self, conn, addr):
        try:
            conn.sendall(self.payload().encode())
        finally:
            conn.close()
        print(f'Sent a file to {addr}')

    def serve_forever(self):
        self.sock.bind((self.host, self.port))
        self.sock.listen()
        print(f'Listening on {self.host}:{self.port}')
        while True:
            conn, addr = self.sock.accept()
            threading.Thread(target=self.handle, args=(conn, addr), daemon=True).start()

    def close(self):
        self.sock.close()


if __name__ == '__main__':
    server = NumberServer()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Stopped')
    finally:
        server.close()
