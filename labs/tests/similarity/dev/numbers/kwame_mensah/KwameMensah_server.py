import random
import socketserver

PORT = 12345
HOW_MANY = 250000


def random_numbers(n):
    for _ in range(n):
        yield str(random.randint(-999999999, 999999999))


class NumbersHandler(socketserver.BaseRequestHandler):
    def handle(self):
        text = ','.join(random_numbers(HOW_MANY))
        self.request.sendall(text.encode())
        print(f'Sent a file to {self.client_address}')


def main():
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(('0.0.0.0', PORT), NumbersHandler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Stopped')
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
