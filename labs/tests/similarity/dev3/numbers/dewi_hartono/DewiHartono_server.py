import io
import random
import socketserver

PORT = 12345
N = 250000


class ListHandler(socketserver.StreamRequestHandler):
    def handle(self):
        text = io.StringIO()
        text.write(str(random.randint(-999999999, 999999999)))
        for _ in range(N - 1):
            text.write(',')
            text.write(str(random.randint(-999999999, 999999999)))
        self.wfile.write(text.getvalue().encode())
        print('Sent a file to', self.client_address)


if __name__ == '__main__':
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.request_queue_size = 128
    server = socketserver.ThreadingTCPServer(('0.0.0.0', PORT), ListHandler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()
        server.server_close()
