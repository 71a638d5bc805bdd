import io
import logging
import random
import socket
import threading

from PIL import Image

LISTEN_ADDR = ('0.0.0.0', 1234)

logging.basicConfig(level=logging.INFO, format='%(message)s')
log = logging.getLogger('frames')


def make_png(size=10):
    n_bytes = 3 * size * size
    data = random.getrandbits(8 * n_bytes).to_bytes(n_bytes, 'big')
    img = Image.frombytes('RGB', (size, size), data)
    with io.BytesIO() as buf:
        img.save(buf, format='PNG')
        return buf.getvalue()


def handle(conn, peer):
    try:
        conn.sendall(make_png())
        log.info('Sent an image to %s', peer)
    except OSError as e:
        log.warning('Could not send to %s: %s', peer, e)
    finally:
        conn.close()


def serve():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(LISTEN_ADDR)
    sock.listen(128)
    log.info('Listening on %s:%d', *LISTEN_ADDR)
    try:
        while True:
            conn, peer = sock.accept()
            threading.Thread(target=handle, args=(conn, peer), daemon=True).start()
    except KeyboardInterrupt:
        log.info('Interrupted, closing')
    finally:
        sock.close()


if __name__ == '__main__':
    serve()
