import random
import socketserver
import sys

AMOUNT = 250000
BOUND = 999999999


class RandomListHandler(socketserver.StreamRequestHandler):
    def handle(self):
        values = [random.randint(-BOUND, BOUND) for _ in range(AMOUNT)]
        self.wfile.write(",".join(str(v) for v in values).encode())
        print("Sent a file to", self.client_address)


class ConcurrentServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    listen_port = 12345 if len(sys.argv) <= 1 else int(sys.argv[1])
    srv = ConcurrentServer(("0.0.0.0", listen_port), RandomListHandler)
    print(f"Listening on 0.0.0.0:{listen_port}")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    srv.server_close()
    print("Server stopped")
