"""Image server: each client receives a new random 10x10 PNG."""
import io
import random
import socketserver
import time

from PIL import Image

HOST = "0.0.0.0"
PORT = 1234
VERBOSE = True


class FrameServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FrameHandler(socketserver.BaseRequestHandler):

    def handle(self):
        img = Image.new("RGB", (10, 10))
        img.putdata(random_pixels(100))

        output = io.BytesIO()
        img.save(output, format="PNG")
        self.request.sendall(output.getvalue())
        print(f"Sent an image to {self.client_address}")


def random_pixels(count):
    return [(random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            for _ in range(count)]


def uptime(start):
    return time.time() - start


if __name__ == "__main__":
    started_at = time.time()
    with FrameServer((HOST, PORT), FrameHandler) as server:
        print(f"Listening on {HOST}:{PORT}")
        if VERBOSE:
            print("debug: server object", server)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Bye")
