import io
import random
import socket
import threading

from PIL import Image

LISTEN_ADDRESS = ('0.0.0.0', 1234)


def random_frame():
    raw = bytes(random.randrange(256) for _ in range(10 * 10 * 3))
    frame = Image.frombytes('RGB', (10, 10), raw)
    output = io.BytesIO()
    frame.save(output, format='PNG')
    return output.getvalue()


def answer(connection, client):
    connection.sendall(random_frame())
    connection.close()
    print('Sent an image to (%s, %d)' % client)


def listen():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(LISTEN_ADDRESS)
    server.listen(40)
    print('Listening on %s:%d' % LISTEN_ADDRESS)
    return server


if __name__ == '__main__':
    server = listen()
    try:
        while True:
            connection, client = server.accept()
            worker = threading.Thread(target=answer, args=(connection, client))
            worker.start()
    except KeyboardInterrupt:
        print('Server closed')
        server.close()
