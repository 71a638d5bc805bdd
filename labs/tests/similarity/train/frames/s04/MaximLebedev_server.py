import io
import random
import socketserver

from PIL import Image

HOST, PORT = '0.0.0.0', 1234


def png_frame():
    frame = Image.new('RGB', (10, 10), 'black')
    for y in range(frame.height):
        for x in range(frame.width):
            frame.putpixel((x, y), (random.randrange(256), random.randrange(256),
                                    random.randrange(256)))
    bio = io.BytesIO()
    frame.save(bio, 'PNG')
    return bio.getvalue()


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(png_frame())
        print(f'Sent an image to {self.client_address}')


class ThreadedServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


if __name__ == '__main__':
    server = ThreadedServer((HOST, PORT), Handler)
    print(f'Listening on {HOST}:{PORT}')
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print('closed')
