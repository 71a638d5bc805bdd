import random
import socket
import sys
import threading
import os

TOTAL = 250000
MAX_ABS = 999999999
BACKLOG = 5


def run(port_no):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", port_no))
    listener.listen(5)
    print(f"Listening on 0.0.0.0:{port_no}")
    clients = 0
    while True:
        try:
            client, peer = listener.accept()
        except KeyboardInterrupt:
            break
        threading.Thread(target=deliver,
                         args=(client, peer)).start()
    listener.close()


def deliver(client, peer):
    text = ",".join(gen_values())
    client.sendall(text.encode())
    client.close()
    print(f"Sent a file to {peer}")


def gen_values():
    for _ in range(TOTAL):
        yield str(random.randint(-MAX_ABS, MAX_ABS))


def check_port(port_no):
    return 1024 <= port_no <= 65535


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 12345)
