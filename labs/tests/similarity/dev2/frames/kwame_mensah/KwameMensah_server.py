import io
import logging
import random
import socket
import sys
import threading

from PIL import Image

logging.basicConfig(level=logging.INFO, format='%(message)s')
log = logging.getLogger('server')


def build_frame():
    img = Image.new('RGB', (10, 10))
    px = img.load()
    for i in range(10):
        for j in range(10):
            px[i, j] = tuple(random.getrandbits(8) for _ in range(3))
    stream = io.BytesIO()
    img.save(stream, format='PNG')
    return stream.getvalue()


def handle(conn, addr):
    try:
        conn.sendall(build_frame())
        log.info('Sent an image to %s', addr)
    except OSError as exc:
        log.error('Could not send to %s: %s', addr, exc)
    finally:
        conn.close()


def run(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(('0.0.0.0', port))
        srv.listen(128)
        log.info('Listening on 0.0.0.0:%d', port)
        while True:
            conn, addr = srv.accept()
            threading.Thread(target=handle, args=(conn, addr), daemon=True).start()


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
    try:
        run(port)
    except KeyboardInterrupt:
        log.info('Interrupted, shutting down')
