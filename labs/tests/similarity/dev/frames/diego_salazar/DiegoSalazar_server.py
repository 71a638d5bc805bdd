import io
import random
import socketserver

from PIL import Image

PORT = 1234


class ThreadedServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


class PngHandler(socketserver.StreamRequestHandler):
    def handle(self):
        img = Image.new('RGB', (10, 10))
        noise = random.randbytes(300)
        img.putdata([tuple(noise[k:k + 3]) for k in range(0, 300, 3)])
        png = io.BytesIO()
        img.save(png, 'PNG')
        self.wfile.write(png.getvalue())
        print('Sent an image to', self.client_address)


def main():
    server = ThreadedServer(('0.0.0.0', PORT), PngHandler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Stopping...')
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
