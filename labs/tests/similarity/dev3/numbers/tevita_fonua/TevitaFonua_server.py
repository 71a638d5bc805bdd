import random
import socketserver

BIND_HOST = '0.0.0.0'
BIND_PORT = 12345
HOW_MANY = 250000
LOWEST = -999999999
HIGHEST = 999999999


def gen_values(n):
    for _ in range(n):
        yield str(random.randint(LOWEST, HIGHEST))


class SendNumbers(socketserver.BaseRequestHandler):
    def handle(self):
        body = ','.join(gen_values(HOW_MANY))
        self.request.sendall(body.encode())
        print(f'Sent a file to {self.client_address}')


class ReusableServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    request_queue_size = 100


def run():
    with ReusableServer((BIND_HOST, BIND_PORT), SendNumbers) as srv:
        print(f'Listening on {BIND_HOST}:{BIND_PORT}')
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            print('Shutting down...')


if __name__ == '__main__':
    run()
