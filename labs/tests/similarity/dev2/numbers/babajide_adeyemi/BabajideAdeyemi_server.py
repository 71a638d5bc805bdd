import random
import socket
import threading

PORT = 12345
NUMBER_RANGE = range(-999999999, 1000000000)


class NumbersThread(threading.Thread):
    def __init__(self, conn, addr):
        threading.Thread.__init__(self)
        self.conn = conn
        self.addr = addr

    def run(self):
        numbers = random.choices(NUMBER_RANGE, k=250000)
        payload = ','.join(map(str, numbers)).encode('ascii')
        self.conn.sendall(payload)
        self.conn.close()
        print(f'Sent a file to {self.addr}')


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('0.0.0.0', PORT))
    server.listen(10)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            conn, addr = server.accept()
            NumbersThread(conn, addr).start()
    except KeyboardInterrupt:
        print('Bye')
    finally:
        server.close()


if __name__ == '__main__':
    main()
