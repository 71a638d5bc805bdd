import random
import socketserver

ADDR, PORT_NUMBER = '0.0.0.0', 12345
LIST_LENGTH = 250000


class ListSender(socketserver.BaseRequestHandler):
    def handle(self):
        values = [str(random.randint(-999999999, 999999999)) for _ in range(LIST_LENGTH)]
        self.request.sendall(','.join(values).encode())
        print(f'Sent a file to {self.client_address}')


if __name__ == '__main__':
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer((ADDR, PORT_NUMBER), ListSender)
    print(f'Listening on {ADDR}:{PORT_NUMBER}')
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
