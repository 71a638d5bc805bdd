import random
import socketserver


class ListHandler(socketserver.StreamRequestHandler):
    def handle(self):
        picks = random.choices(range(-999999999, 999999999 + 1), k=250000)
        self.wfile.write(','.join(str(p) for p in picks).encode())
        print('Sent a file to', self.client_address)


class ThreadedServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


def ask_port():
    answer = input('Port [12345]: ').strip()
    return int(answer) if answer else 12345


if __name__ == '__main__':
    port = ask_port()
    server = ThreadedServer(('0.0.0.0', port), ListHandler)
    print(f'Listening on 0.0.0.0:{port}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Stopped')
    finally:
        server.server_close()
