"""Threaded numbers server - Hoang Tran."""
import random
import socket
import threading

LOWEST = -999_999_999
HIGHEST = 999_999_999


class NumberServer:
    def __init__(self, host: str = '0.0.0.0', port: int = 12345, amount: int = 250_000):
        self.host = host
        self.port = port
        self.amount = amount
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def payload(self) -> bytes:
        rng = random.Random()
        numbers = [rng.randint(LOWEST, HIGHEST) for _ in range(self.amount)]
        return ','.join(map(str, numbers)).encode('ascii')

    def _serve(self, conn: socket.socket, addr) -> None:
        try:
            conn.sendall(self.payload())
            print(f'Sent a file to {addr}')
        except OSError as exc:
            print(f'Failed to send to {addr}: {exc}')
        finally:
            conn.close()

    def run(self) -> None:
        self.sock.bind((self.host, self.port))
        self.sock.listen(64)
        print(f'Listening on {self.host}:{self.port}')
        try:
            while True:
                conn, addr = self.sock.accept()
                worker = threading.Thread(target=self._serve, args=(conn, addr), daemon=True)
                worker.start()
        except KeyboardInterrupt:
            print('Shutting down')
        finally:
            self.sock.close()


if __name__ == '__main__':
    NumberServer().run()
