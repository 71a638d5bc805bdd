import random
import socket
import threading

PORT = 12345
HOW_MANY = 250000
VALUES = range(-999999999, 1000000000)


class ClientThread(threading.Thread):
    def __init__(self, conn, addr):
        super().__init__(daemon=True)
        self.conn = conn
        self.addr = addr

    def run(self):
        numbers = random.choices(VALUES, k=HOW_MANY)
        self.conn.sendall(','.join(map(str, numbers)).encode('ascii'))
        self.conn.close()
        print(f'Sent a file to {self.addr}')


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('0.0.0.0', PORT))
    server.listen()
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            ClientThread(*server.accept()).start()
    except KeyboardInterrupt:
        print('Server stopped')
    server.close()


if __name__ == '__main__':
    main()
