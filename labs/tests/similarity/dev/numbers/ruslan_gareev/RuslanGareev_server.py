import random
import socketserver

LISTEN_PORT = 12345
LIST_SIZE = 250000


def gen_values(count):
    for _ in range(count):
        yield str(random.randint(-999999999, 999999999))


class ListRequestHandler(socketserver.BaseRequestHandler):
    def handle(self):
        body = ','.join(gen_values(LIST_SIZE))
        self.request.sendall(body.encode())
        print(f'Sent a file to {self.client_address}')


def run():
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(('0.0.0.0', LISTEN_PORT), ListRequestHandler)
    print(f'Listening on 0.0.0.0:{LISTEN_PORT}')
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        print('Stopped')
    finally:
        srv.server_close()


if __name__ == '__main__':
    run()
