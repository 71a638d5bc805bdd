import random
import socket
import threading
import sys


class ListServer:
    MIN_VALUE = -999999999
    MAX_VALUE = 999999999

    def start(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("0.0.0.0", self.port_no))
        self.sock.listen()
        print(f"Listening on 0.0.0.0:{self.port_no}")
        try:
            while True:
                client, peer = self.sock.accept()
                threading.Thread(target=self.handle,
                                 args=(client, peer)).start()
        except KeyboardInterrupt:
            print("Stopped")
        finally:
            self.sock.close()

    def handle(self, client, peer):
        with client:
            client.sendall(self.make_data())
        print(f"Sent a file to {peer}")

    def make_data(self):
        nums = [random.randint(self.MIN_VALUE, self.MAX_VALUE)
                for _ in range(self.amount)]
        return ",".join(map(str, nums)).encode()

    def stats(self):
        return {"port": self.port_no, "amount": self.amount}

    def __init__(self, port_no, amount):
        self.port_no = port_no
        self.amount = amount
        self.sock = None
        self.served = 0


if __name__ == "__main__":
    ListServer(12345, 250000).start()
