import io
import random
import socketserver

from PIL import Image

PORT = 1234


class FrameHandler(socketserver.BaseRequestHandler):
    def handle(self):
        pixels = [(random.randrange(256), random.randrange(256), random.randrange(256))
                  for _ in range(100)]
        image = Image.new('RGB', (10, 10))
        image.putdata(pixels)
        stream = io.BytesIO()
        image.save(stream, format='PNG')
        self.request.sendall(stream.getvalue())
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
            print('Shutting down')
