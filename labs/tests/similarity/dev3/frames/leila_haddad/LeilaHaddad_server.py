"""Frames server: ThreadingTCPServer gives every connection its own thread."""
import io
import random
import socketserver

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)


def random_png():
    pixels = [(random.randrange(256), random.randrange(256), random.randrange(256))
              for _ in range(100)]
    image = Image.new('RGB', (10, 10))
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
    request_queue_size = 128  # the default of 5 made some clients hang


if __name__ == '__main__':
    with FrameServer(ADDRESS, FrameHandler) as server:
        print('Listening on %s:%d' % ADDRESS)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Bye')
