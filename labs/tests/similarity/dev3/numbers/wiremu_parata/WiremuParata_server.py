import random
import socket
import threading


class ListServer:
    SIZE = 250000
    BOUND = 999999999

    def stop(self):
        self.listener.close()

    def client_job(self, c, peer):
        try:
            c.sendall(self.make_numbers().encode())
        finally:
            c.close()
        print(f'Sent a file to {peer}')

    def __init__(self, host='0.0.0.0', port=12345):
        self.host = host
        self.port = port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def make_numbers(self):
        bound = self.BOUND
        parts = []
        for _ in range(self.SIZE):
            parts.append(str(random.randint(-bound, bound)))
        return ','.join(parts)

    def start(self):
        self.listener.bind((self.host, self.port))
        self.listener.listen()
        print(f'Listening on {self.host}:{self.port}')
        while True:
            c, peer = self.listener.accept()
            threading.Thread(target=self.client_job, args=(c, peer),
                             daemon=True).start()


if __name__ == '__main__':
    srv = ListServer()
    try:
        srv.start()
    except KeyboardInterrupt:
        print('Stopped')
    finally:
        srv.stop()
