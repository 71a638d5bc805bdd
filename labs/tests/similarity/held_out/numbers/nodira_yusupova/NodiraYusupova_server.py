import logging
import os
import random
import socket
import threading

ADDRESS = ("0.0.0.0", 12345)
COUNT = 250_000
LOWEST = -999_999_999
HIGHEST = 999_999_999

log = logging.getLogger(__name__)


def run():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(ADDRESS)
    sock.listen(128)
    log.info("Listening on %s:%s", *ADDRESS)
    clients = 0
    try:
        while True:
            conn, peer = sock.accept()
            threading.Thread(target=serve_one,
                             args=(conn, peer),
                             daemon=True).start()
    except KeyboardInterrupt:
        log.info("Stopping")
    finally:
        sock.close()


def serve_one(conn, peer):
    with conn:
        conn.sendall(random_list().encode("ascii"))
    log.info("Sent a file to %s", peer)


def random_list(count=COUNT):
    rand = random.randrange
    return ",".join([str(rand(LOWEST, HIGHEST + 1))
                     for _ in range(count)])


def debug_list():
    text = random_list(10)
    print("sample:", text)
    return text


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    run()
