import random
import socketserver

HOST, PORT = '0.0.0.0', 12345
AMOUNT = 250000


class NumbersHandler(socketserver.BaseRequestHandler):
    def handle(self):
        numbers = [str(random.randint(-999999999, 999999999)) for _ in range(AMOUNT)]
        self.request.sendall(','.join(numbers).encode())
        print(f'Sent a file to {self.client_address}')


if __name__ == '__main__':
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer((HOST, PORT), NumbersHandler)
    print(f'Listening on {HOST}:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
