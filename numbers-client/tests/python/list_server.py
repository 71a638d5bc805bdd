"""A Python numbers-lab server, for interop tests.

Usage: list_server.py COUNT

Listens on 127.0.0.1 on a free port and prints the port on its own line. Every client,
on its own thread, receives COUNT random integers from [-999999999, 999999999] joined by
',' (no spaces, no trailing comma, no newline); then the server closes the connection.
Runs until killed.
"""

import random
import socketserver
import sys

COUNT = int(sys.argv[1])


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        numbers = (random.randint(-999999999, 999999999) for _ in range(COUNT))
        self.request.sendall(",".join(map(str, numbers)).encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with Server(("127.0.0.1", 0), Handler) as server:
        print(server.server_address[1], flush=True)
        server.serve_forever()
