import random
import socket
import threading
import time

PORT = 12345
LIST_SIZE = 250000
# range(a, b) does not include b, so +1 for the upper bound
NUMBERS = range(-999999999, 999999999 + 1)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", PORT))
    server.listen(50)
    print("Listening on 0.0.0.0:%d" % PORT)
    clients = 0
    try:
        while True:
            conn, addr = server.accept()
            ClientThread(conn, addr).start()
    except KeyboardInterrupt:
        print("closing")
    server.close()


class ClientThread(threading.Thread):

    def run(self):
        values = random.choices(NUMBERS, k=LIST_SIZE)
        message = ",".join(map(str, values))
        print("DEBUG message length", len(message))
        try:
            self.conn.sendall(message.encode())
        finally:
            self.conn.close()
        print("Sent a file to", self.addr)

    def __init__(self, conn, addr):
        threading.Thread.__init__(self)
        self.conn = conn
        self.addr = addr
        self.started_at = time.time()


if __name__ == "__main__":
    main()
