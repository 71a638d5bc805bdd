import io
import logging
import random
import socketserver

from PIL import Image

ADDR, PORT_NUMBER = '0.0.0.0', 1234

logging.basicConfig(level=logging.INFO, format='%(asctime)s %(message)s')


def rand_rgb():
    return tuple(random.sample(range(256), 3))


class PngRequestHandler(socketserver.StreamRequestHandler):
    def handle(self):
        img = Image.new('RGB', (10, 10))
        for row in range(10):
            for col in range(10):
                img.putpixel((col, row), rand_rgb())
        mem = io.BytesIO()
        img.save(mem, 'PNG')
        self.wfile.write(mem.getvalue())
        logging.info('Sent an image to %s', self.client_address)


class MultiServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    request_queue_size = 64


def launch():
    srv = MultiServer((ADDR, PORT_NUMBER), PngRequestHandler)
    logging.info('Listening on %s:%d', ADDR, PORT_NUMBER)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        logging.info('stopping')
    finally:
        srv.server_close()


if __name__ == '__main__':
    launch()
