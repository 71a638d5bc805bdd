import random
import socket
import threading

NUMBERS = 250000
VALUES = range(-999999999, 1000000000)


class ClientThread(threading.Thread):
    def __init__(self, connection, address):
        threading.Thread.__init__(self)
        self.connection = connection
        self.address = address

    def run(self):
        numbers = random.choices(VALUES, k=NUMBERS)
        message = ','.join(map(str, numbers))
        self.connection.sendall(message.encode())
        self.connection.close()
        print(f'Sent a file to {self.address}')


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('0.0.0.0', 12345))
    server.listen()
    print('Listening on 0.0.0.0:12345')
    while True:
        try:
            connection, address = server.accept()
        except KeyboardInterrupt:
            break
        ClientThread(connection, address).start()
    server.close()
    print('Server closed')


if __name__ == '__main__':
    main()
