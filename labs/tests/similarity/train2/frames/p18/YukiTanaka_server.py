import io
import logging
import random
import socket
import threading

from PIL import Image

logging.basicConfig(level=logging.INFO, format='%(asctime)s [%(threadName)s] %(message)s')
log = logging.getLogger('frame-server')


class FrameServer:
    def __init__(self, host='0.0.0.0', port=1234, size=10):
        self.host = host
        self.port = port
        self.size = size
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def render(self):
        raw = random.randbytes(self.size * self.size * 3)
        img = Image.frombytes('RGB', (self.size, self.size), raw)
        with io.BytesIO() as out:
            img.save(out, format='PNG')
            return out.getvalue()

    def serve_one(self, conn, peer):
        try:
            conn.sendall(self.render())
            log.info('Sent an image to %s', peer)
        except OSError:
            log.exception('sending to %s failed', peer)
        finally:
            conn.close()

    def serve_forever(self):
        self.sock.bind((self.host, self.port))
        self.sock.listen(64)
        log.info('Listening on %s:%d', self.host, self.port)
        while True:
            conn, peer = self.sock.accept()
            threading.Thread(target=self.serve_one, args=(conn, peer), daemon=True).start()

    def close(self):
        self.sock.close()


if __name__ == '__main__':
    server = FrameServer()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info('interrupted, closing')
    finally:
        server.close()
