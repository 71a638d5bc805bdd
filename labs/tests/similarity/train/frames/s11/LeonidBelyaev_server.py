import io
import random
import socketserver

from PIL import Image

PORT = 1234


class FrameHandler(socketserver.BaseRequestHandler):
    def handle(self):
        pixels = [tuple(random.randrange(256) for _ in range(3)) for _ in range(100)]
        picture = Image.new('RGB', (10, 10))
        picture.putdata(pixels)
        out = io.BytesIO()
        picture.save(out, format='PNG')
        self.request.sendall(out.getvalue())
        print(f'Sent an image to {self.client_address}')


class FrameServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    with FrameServer(('0.0.0.0', PORT), FrameHandler) as server:
        print(f'Listening on 0.0.0.0:{PORT}')
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Server stopped')
