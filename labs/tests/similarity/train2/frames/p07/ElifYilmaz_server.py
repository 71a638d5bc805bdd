"""Frames server: every connection gets a fresh random 10x10 PNG."""
import io
import random
import socketserver

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234


def random_pixels(count):
    return [(random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            for _ in range(count)]


class FrameHandler(socketserver.BaseRequestHandler):
    def handle(self):
        img = Image.new('RGB', (10, 10))
        img.putdata(random_pixels(100))
        output = io.BytesIO()
        img.save(output, format='PNG')
        self.request.sendall(output.getvalue())
        print(f'Sent an image to {self.client_address}')


class FrameServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    with FrameServer((HOST, PORT), FrameHandler) as server:
        print(f'Listening on {HOST}:{PORT}')
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print('Bye')
