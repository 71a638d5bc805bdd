import logging
import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
SIZE = 250_000
POPULATION = range(-999_999_999, 1_000_000_000)

logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')
logger = logging.getLogger(__name__)


def random_numbers():
    return random.sample(POPULATION, SIZE)


def encode(numbers):
    return ','.join(map(str, numbers)).encode()


def worker(conn, addr):
    try:
        conn.sendall(encode(random_numbers()))
        logger.info('Sent a file to %s', addr)
    except (BrokenPipeError, ConnectionResetError) as err:
        logger.warning('client %s went away: %s', addr, err)
    finally:
        conn.close()


def create_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, PORT))
    sock.listen(32)
    return sock


def main():
    sock = create_socket()
    logger.info('Listening on %s:%s', HOST, PORT)
    try:
        while True:
            conn, addr = sock.accept()
            threading.Thread(target=worker, args=(conn, addr), daemon=True).start()
    except KeyboardInterrupt:
        logger.info('shutting down')
    finally:
        sock.close()


if __name__ == '__main__':
    main()
