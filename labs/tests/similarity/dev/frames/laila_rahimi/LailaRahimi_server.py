import datetime
import io
import random
import socket
import sys
import threading

from PIL import Image

counter_lock = threading.Lock()
total_sent = 0
started_at = datetime.datetime.now()


def start():
    listen_port = int(sys.argv[1]) if len(sys.argv) == 2 else 1234
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", listen_port))
    sock.listen(64)
    print(f"Listening on 0.0.0.0:{listen_port}")
    while True:
        conn, peer = sock.accept()
        print("[debug] connection from", peer)
        threading.Thread(target=deliver,
                         args=(conn, peer)).start()


def deliver(conn, peer):
    global total_sent
    conn.sendall(make_picture())
    conn.close()
    with counter_lock:
        total_sent += 1
        nr = total_sent
    print(f"Sent an image to {peer} (#{nr})")


def uptime():
    return datetime.datetime.now() - started_at


def make_picture():
    pixels = bytes(random.randrange(256) for _ in range(10 * 10 * 3))
    pic = Image.frombytes("RGB", (10, 10), pixels)

    buf = io.BytesIO()
    pic.save(buf, format="PNG")
    return buf.getvalue()


if __name__ == "__main__":
    try:
        start()
    except KeyboardInterrupt:
        print("Server stopped")
