import io
import os
import socketserver

from PIL import Image


class FrameHandler(socketserver.BaseRequestHandler):
    def handle(self):
        img = Image.frombytes('RGB', (10, 10), os.urandom(300))
        out = io.BytesIO()
        img.save(out, 'PNG')
        self.request.sendall(out.getvalue())
        print(f'Sent an image to {self.client_address}')


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    with Server(('0.0.0.0', 1234), FrameHandler) as srv:
        print('Listening on 0.0.0.0:1234')
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            pass
