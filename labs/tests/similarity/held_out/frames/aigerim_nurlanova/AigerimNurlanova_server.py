import io
import random
import socketserver

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)
SIZE = (10, 10)


def random_png():
    pixels = [(random.randrange(256), random.randrange(256), random.randrange(256))
              for _ in range(SIZE[0] * SIZE[1])]
    image = Image.new('RGB', SIZE)
    image.putdata(pixels)
    out = io.BytesIO()
    image.save(out, format='PNG')
    return out.getvalue()


class FrameHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(random_png())
        print(f'Sent an image to {self.client_address}')


class FrameServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    with FrameServer(ADDRESS, FrameHandler) as server:
        print('Listening on {}:{}'.format(*ADDRESS))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Shutting down')
