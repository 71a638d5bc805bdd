import random
import socket
import threading


class NumberServer:
    LOWEST = -999999999
    HIGHEST = 999999999

    def __init__(self, port, count):
        self.port = port
        self.count = count
        self.listener = None

    def payload(self):
        values = [random.randint(self.LOWEST, self.HIGHEST) for _ in range(self.count)]
        return ','.join(map(str, values)).encode()

    def serve_one(self, conn, addr):
        with conn:
            conn.sendall(self.payload())
        print(f'Sent a file to {addr}')

    def run(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('0.0.0.0', self.port))
        self.listener.listen()
        print(f'Listening on 0.0.0.0:{self.port}')
        try:
            while True:
                conn, addr = self.listener.accept()
                threading.Thread(target=self.serve_one, args=(conn, addr)).start()
        except KeyboardInterrupt:
            print('Stopped')
        finally:
            self.listener.close()


if __name__ == '__main__':
    NumberServer(12345, 250000).run()
