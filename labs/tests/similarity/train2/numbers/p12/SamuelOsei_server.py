import random
import socket
from threading import Thread

BIND_HOST = "0.0.0.0"
BIND_PORT = 12345


def start():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind((BIND_HOST, BIND_PORT))
    srv.listen()
    print(f"Listening on {BIND_HOST}:{BIND_PORT}")
    try:
        while True:
            client, peer = srv.accept()
            Thread(target=respond, args=(client, peer)).start()
    finally:
        srv.close()


def respond(client, peer):
    # one list per connection, then hang up
    try:
        client.sendall(make_list().encode())
    finally:
        client.close()
    print(f"Sent a file to {peer}")


def make_list():
    values = (random.randint(-999999999, 999999999) for _ in range(250000))
    return ",".join(map(str, values))


if __name__ == "__main__":
    try:
        start()
    except KeyboardInterrupt:
        print("Server stopped")
