import io
import logging
import random
import socketserver

from PIL import Image

HOST, PORT = '0.0.0.0', 1234

logging.basicConfig(level=logging.INFO, format='%(asctime)s %(message)s')


def random_pixel():
    return tuple(random.sample(range(256), 3))


class ImageHandler(socketserver.StreamRequestHandler):
    def handle(self):
        image = Image.new('RGB', (10, 10))
        for y in range(10):
            for x in range(10):
                image.putpixel((x, y), random_pixel())
        buffer = io.BytesIO()
        image.save(buffer, 'PNG')
        self.wfile.write(buffer.getvalue())
        logging.info('Sent an image to %s', self.client_address)


class ThreadedServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    request_queue_size = 64


def main():
    server = ThreadedServer((HOST, PORT), ImageHandler)
    logging.info('Listening on %s:%d', HOST, PORT)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        logging.info('stopping')
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
