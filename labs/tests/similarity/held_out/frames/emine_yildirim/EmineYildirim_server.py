import io
import logging
import random
import socket
import threading

from PIL import Image

BIND_TO = ("0.0.0.0", 1234)

logging.basicConfig(format="%(message)s", level=logging.INFO)
logger = logging.getLogger("png-server")


def serve_forever():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(BIND_TO)
    listener.listen(128)
    logger.info("Listening on %s:%d", *BIND_TO)
    try:
        while True:
            client, remote = listener.accept()
            t = threading.Thread(target=reply, args=(client, remote), daemon=True)
            t.start()
    except KeyboardInterrupt:
        logger.info("Stopped by user")
    finally:
        listener.close()


def reply(client, remote):
    try:
        client.sendall(random_png())
        logger.info("Sent an image to %s", remote)
    except OSError as exc:
        logger.warning("Sending to %s failed: %s", remote, exc)
    finally:
        client.close()


def random_png(side=10):
    size = side * side * 3
    raw = random.getrandbits(size * 8).to_bytes(size, "big")
    picture = Image.frombytes("RGB", (side, side), raw)
    with io.BytesIO() as mem:
        picture.save(mem, format="PNG")
        return mem.getvalue()


if __name__ == "__main__":
    serve_forever()
