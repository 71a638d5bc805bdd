import io
import random
import socketserver
import sys

from PIL import Image

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 1234


class PngHandler(socketserver.StreamRequestHandler):

    def handle(self):
        img = Image.frombytes('RGB', (10, 10), random.randbytes(300))
        with io.BytesIO() as b:
            img.save(b, 'PNG')
            self.wfile.write(b.getvalue())
        print(f'Sent an image to {self.client_address}')


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


def main():
    server = Server(('0.0.0.0', PORT), PngHandler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('shutting down')
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
