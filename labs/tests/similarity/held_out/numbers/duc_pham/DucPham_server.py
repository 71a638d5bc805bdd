import random
import socketserver


class Handler(socketserver.BaseRequestHandler):

    def handle(self):
        numbers = [random.randint(-999999999, 999999999) for _ in range(250000)]
        text = ','.join([str(x) for x in numbers])
        self.request.sendall(text.encode())
        print('Sent a file to', self.client_address)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True


if __name__ == '__main__':
    answer = input('Port (default 12345): ').strip()
    port = int(answer) if answer else 12345
    server = Server(('0.0.0.0', port), Handler)
    print('Listening on 0.0.0.0:' + str(port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Bye!')
    server.server_close()
