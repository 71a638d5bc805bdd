import io
import random
import socketserver

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)


def random_image_bytes():
    pixels = [(random.randrange(256), random.randrange(256), random.randrange(256))
              for _ in range(100)]
    image = Image.new('RGB', (10, 10))
    image.putdata(pixels)
    with io.BytesIO() as buf:
        image.save(buf, format='PNG')
        return buf.getvalue()


class FrameHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(random_image_bytes())
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
