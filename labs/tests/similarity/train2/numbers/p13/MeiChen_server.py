import os
import random
import socketserver

PORT = int(os.environ.get('NUMBERS_PORT', '12345'))
COUNT = 250000
LOW, HIGH = -999999999, 999999999


class ThreadedTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class ListHandler(socketserver.StreamRequestHandler):
    def handle(self):
        rng = random.Random()
        numbers = [rng.randint(LOW, HIGH) for _ in range(COUNT)]
        self.wfile.write(','.join(map(str, numbers)).encode())
        print(f'Sent a file to {self.client_address}')


if __name__ == '__main__':
    server = ThreadedTCPServer(('0.0.0.0', PORT), ListHandler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Ctrl-C received, stopping')
        server.server_close()
