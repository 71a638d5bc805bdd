import random
import socketserver

HOST, PORT = '0.0.0.0', 12345
N = 250000
MIN_VALUE = -999999999
MAX_VALUE = 999999999


class NumbersHandler(socketserver.StreamRequestHandler):

    def handle(self):
        text = ','.join(str(random.randint(MIN_VALUE, MAX_VALUE)) for _ in range(N))
        self.wfile.write(text.encode())
        print(f'Sent a file to {self.client_address}')


socketserver.ThreadingTCPServer.allow_reuse_address = True

if __name__ == '__main__':
    server = socketserver.ThreadingTCPServer((HOST, PORT), NumbersHandler)
    print(f'Listening on {HOST}:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
