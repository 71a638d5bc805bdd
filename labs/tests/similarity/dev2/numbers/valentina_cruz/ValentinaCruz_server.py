import random
import socket
import threading

LISTEN_ON = 12345
VALUES = range(-999999999, 1000000000)


class ListSender(threading.Thread):
    def __init__(self, sock, peer):
        threading.Thread.__init__(self)
        self.sock = sock
        self.peer = peer

    def run(self):
        picked = random.choices(VALUES, k=250000)
        body = ','.join(map(str, picked)).encode('ascii')
        self.sock.sendall(body)
        self.sock.close()
        print(f'Sent a file to {self.peer}')


def launch():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', LISTEN_ON))
    listener.listen(10)
    print(f'Listening on 0.0.0.0:{LISTEN_ON}')
    try:
        while True:
            sock, peer = listener.accept()
            ListSender(sock, peer).start()
    except KeyboardInterrupt:
        print('Bye')
    finally:
        listener.close()


if __name__ == '__main__':
    launch()
