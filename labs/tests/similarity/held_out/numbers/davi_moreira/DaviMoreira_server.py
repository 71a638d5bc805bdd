import random
import socket
import threading

LISTEN_PORT = 12345
HOW_MANY = 250_000
POSSIBLE = range(-999_999_999, 1_000_000_000)


class Worker(threading.Thread):

    def __init__(self, client, where):
        threading.Thread.__init__(self)
        self.client = client
        self.where = where

    def run(self):
        values = random.choices(POSSIBLE, k=HOW_MANY)
        body = ','.join(map(str, values)).encode()
        with self.client:
            self.client.sendall(body)
        print('Sent a file to', self.where)


def serve():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('0.0.0.0', LISTEN_PORT))
        listener.listen()
        print(f'Listening on 0.0.0.0:{LISTEN_PORT}')
        while True:
            try:
                client, where = listener.accept()
            except KeyboardInterrupt:
                print('Server closed')
                break
            Worker(client, where).start()


if __name__ == '__main__':
    serve()
