import random
import socketserver

NUMBERS = 250000
VALUES = range(-999999999, 1000000000)


class NumbersHandler(socketserver.BaseRequestHandler):
    def handle(self):
        numbers = random.choices(VALUES, k=NUMBERS)
        payload = ','.join(str(n) for n in numbers)
        self.request.sendall(payload.encode('ascii'))
        print(f'Sent a file to {self.client_address}')


def main():
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(('0.0.0.0', 12345), NumbersHandler)
    print('Listening on 0.0.0.0:12345')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('bye')
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
