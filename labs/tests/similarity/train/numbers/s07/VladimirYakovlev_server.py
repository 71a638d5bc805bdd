import random
import socketserver

HOST = '0.0.0.0'
PORT = 12345


def generate():
    values = random.choices(range(-999999999, 999999999 + 1), k=250000)
    return ','.join(str(value) for value in values)


class NumbersRequestHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(generate().encode())
        print(f'Sent a file to {self.client_address}')


class ThreadedTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


if __name__ == '__main__':
    with ThreadedTCPServer((HOST, PORT), NumbersRequestHandler) as server:
        print(f'Listening on {HOST}:{PORT}')
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Server stopped')
