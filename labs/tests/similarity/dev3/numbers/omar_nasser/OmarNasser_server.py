"""Numbers server using socketserver (one thread per connection)."""
import random
import socketserver

HOST = '0.0.0.0'
PORT = 12345
AMOUNT = 250000
MIN_VALUE = -999999999
MAX_VALUE = 999999999


def random_numbers(amount):
    """Yield `amount` random numbers as strings."""
    for _ in range(amount):
        yield str(random.randint(MIN_VALUE, MAX_VALUE))


class NumbersHandler(socketserver.BaseRequestHandler):
    def handle(self):
        payload = ','.join(random_numbers(AMOUNT))
        self.request.sendall(payload.encode())
        print(f'Sent a file to {self.client_address}')


class NumbersServer(socketserver.ThreadingTCPServer):
    # restart without "address already in use"
    allow_reuse_address = True
    # listen() backlog, the default is only 5
    request_queue_size = 100


def main():
    with NumbersServer((HOST, PORT), NumbersHandler) as server:
        print(f'Listening on {HOST}:{PORT}')
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Shutting down...')


if __name__ == '__main__':
    main()
