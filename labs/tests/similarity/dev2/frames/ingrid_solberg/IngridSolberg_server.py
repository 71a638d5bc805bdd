import io
import random
import socketserver

from PIL import Image

PORT = 1234


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        img = Image.new('RGB', (10, 10))
        colours = []
        for _ in range(10 * 10):
            colours.append(tuple(random.choices(range(256), k=3)))
        img.putdata(colours)
        png = io.BytesIO()
        img.save(png, 'PNG')
        self.wfile.write(png.getvalue())
        print('Sent an image to', self.client_address)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


if __name__ == '__main__':
    server = Server(('0.0.0.0', PORT), Handler)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('stopping')
    server.server_close()
