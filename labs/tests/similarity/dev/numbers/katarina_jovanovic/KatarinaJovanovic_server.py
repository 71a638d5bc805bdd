import random
import socketserver
import sys

LIMIT = 999999999
COUNT = 250000


class ThreadedTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class ListHandler(socketserver.StreamRequestHandler):
    def handle(self):
        numbers = []
        for _ in range(COUNT):
            numbers.append(random.randint(-LIMIT, LIMIT))
        self.wfile.write(','.join(str(n) for n in numbers).encode())
        print('Sent a file to', self.client_address)


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345
    server = ThreadedTCPServer(('0.0.0.0', port), ListHandler)
    print(f'Listening on 0.0.0.0:{port}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    print('Server stopped')
