import io
import random
import socket
import sys
import threading

from PIL import Image

total_sent = 0
counter_lock = threading.Lock()


def make_picture():
    pixels = bytes(random.randrange(256) for _ in range(10 * 10 * 3))
    pic = Image.frombytes('RGB', (10, 10), pixels)
    buf = io.BytesIO()
    pic.save(buf, format='PNG')
    return buf.getvalue()


def deliver(conn, peer):
    global total_sent
    conn.sendall(make_picture())
    conn.close()
    with counter_lock:
        total_sent += 1
        nr = total_sent
    print(f'Sent an image to {peer} (#{nr})')


def start():
    listen_port = int(sys.argv[1]) if len(sys.argv) == 2 else 1234
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('', listen_port))
    sock.listen(64)
    print(f'Listening on 0.0.0.0:{listen_port}')
    while True:
        conn, peer = sock.accept()
        threading.Thread(target=deliver, args=(conn, peer)).start()


if __name__ == '__main__':
    try:
        start()
    except KeyboardInterrupt:
        print('Server stopped')
