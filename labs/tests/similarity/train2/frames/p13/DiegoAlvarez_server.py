import io
import random
import socketserver
import threading

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)


class ThreadedServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


class PngHandler(socketserver.StreamRequestHandler):
    def handle(self):
        image = Image.new('RGB', (10, 10))
        for i in range(100):
            color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            image.putpixel((i % 10, i // 10), color)
        data = io.BytesIO()
        image.save(data, format='PNG')
        self.wfile.write(data.getvalue())
        name = threading.current_thread().name
        print(f'Sent an image to {self.client_address} ({name})')


def main():
    server = ThreadedServer(ADDRESS, PngHandler)
    print('Listening on %s:%d' % ADDRESS)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Interrupted')
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
