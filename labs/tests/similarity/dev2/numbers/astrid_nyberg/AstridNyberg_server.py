import random
import socketserver

HOST, PORT = '0.0.0.0', 12345
HOW_MANY = 250000


def random_numbers(n):
    for _ in range(n):
        yield random.randint(-999999999, 999999999)


class NumbersHandler(socketserver.BaseRequestHandler):
    def handle(self):
        text = ','.join(str(x) for x in random_numbers(HOW_MANY))
        self.request.sendall(text.encode())
        print(f'Sent a file to {self.client_address}')


class ReusableServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True


if __name__ == '__main__':
    with ReusableServer((HOST, PORT), NumbersHandler) as server:
        print(f'Listening on {HOST}:{PORT}')
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Server stopped')
