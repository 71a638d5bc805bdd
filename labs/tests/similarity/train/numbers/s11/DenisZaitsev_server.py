import random
import socketserver

PORT = 12345
AMOUNT = 250000
LOW, HIGH = -999999999, 999999999


class NumbersHandler(socketserver.BaseRequestHandler):
    def handle(self):
        text = ','.join(str(random.randint(LOW, HIGH)) for _ in range(AMOUNT))
        self.request.sendall(text.encode())
        print(f'Sent a file to {self.client_address}')


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    server = Server(('0.0.0.0', PORT), NumbersHandler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Shutting down')
    finally:
        server.server_close()
