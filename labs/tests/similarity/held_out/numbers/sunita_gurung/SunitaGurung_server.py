import random
import socket
import sys
import threading
import time

LISTEN_PORT = 12345
LIST_LEN = 250000


def start():
    srv = socket.create_server(("0.0.0.0", LISTEN_PORT),
                               backlog=20)
    print(f"Listening on 0.0.0.0:{LISTEN_PORT}")
    while True:
        try:
            sock, peer = srv.accept()
        except KeyboardInterrupt:
            break
        threading.Thread(target=on_connect,
                         args=(sock, peer)).start()
    srv.close()
    print("Stopped")


def on_connect(sock, peer):
    started = time.time()
    payload = generate()
    sock.sendall(payload.encode())
    sock.close()
    print(f"Sent a file to {peer}")


def generate():
    vals = [random.randint(-999999999, 999999999) for j in range(LIST_LEN)]
    return ",".join([str(v) for v in vals])


def generate_small(n=10):
    return ",".join(str(random.randint(-9, 9)) for _ in range(n))


if __name__ == "__main__":
    start()
