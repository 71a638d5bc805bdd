import random
import socketserver

SERVER_PORT = 12345
HOW_MANY = 250000
MIN_VAL, MAX_VAL = -999999999, 999999999


class ListHandler(socketserver.BaseRequestHandler):
    def handle(self):
        body = ','.join(str(random.randint(MIN_VAL, MAX_VAL)) for _ in range(HOW_MANY))
        self.request.sendall(body.encode())
        print(f'Sent a file to {self.client_address}')


class ThreadedServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    srv = ThreadedServer(('0.0.0.0', SERVER_PORT), ListHandler)
    print(f'Listening on 0.0.0.0:{SERVER_PORT}')
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        print('Shutting down')
    finally:
        srv.server_close()
