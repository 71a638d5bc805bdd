import io
import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345


class Sender(threading.Thread):
    def __init__(self, sock, address):
        threading.Thread.__init__(self)
        self.sock = sock
        self.address = address

    def run(self):
        out = io.StringIO()
        for i in range(250000):
            if i:
                out.write(',')
            out.write(str(random.randint(-999999999, 999999999)))
        self.sock.sendall(out.getvalue().encode())
        self.sock.close()
        print('Sent a file to', self.address)


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, PORT))
    s.listen(25)
    print('Listening on %s:%d' % (HOST, PORT))
    while True:
        conn, address = s.accept()
        Sender(conn, address).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Server closed')
