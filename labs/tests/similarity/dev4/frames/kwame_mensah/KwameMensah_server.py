"""Kwame Mensah - frames server.

Run:  python3 KwameMensah_server.py [port]
"""
import io
import random
import socketserver
import sys

from PIL import Image

SIDE = 10


class PngHandler(socketserver.StreamRequestHandler):

    def handle(self):
        picture = Image.new('RGB', (SIDE, SIDE), 'black')
        for y in range(SIDE):
            for x in range(SIDE):
                colour = (random.choice(range(256)), random.choice(range(256)),
                          random.choice(range(256)))
                picture.putpixel((x, y), colour)
        encoded = io.BytesIO()
        picture.save(encoded, format='PNG')
        self.wfile.write(encoded.getvalue())
        print('Sent an image to {}'.format(self.client_address))


class ThreadedServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
    server = ThreadedServer(('0.0.0.0', port), PngHandler)
    print('Listening on 0.0.0.0:{}'.format(port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Stopped by user')
    server.server_close()


if __name__ == '__main__':
    main()
