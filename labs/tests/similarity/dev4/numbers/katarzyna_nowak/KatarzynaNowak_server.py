"""Numbers server (Katarzyna Nowak): ThreadingMixIn + TCPServer."""
import random
import socketserver


class RandomNumbersHandler(socketserver.StreamRequestHandler):
    count = 250000

    def handle(self):
        numbers = (random.randint(-999999999, 999999999) for _ in range(self.count))
        self.wfile.write(','.join(map(str, numbers)).encode())
        print('Sent a file to %s' % (self.client_address,))


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    port = int(input('Port: '))
    server = Server(('0.0.0.0', port), RandomNumbersHandler)
    print(f'Listening on 0.0.0.0:{port}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Server stopped')
    finally:
        server.server_close()
