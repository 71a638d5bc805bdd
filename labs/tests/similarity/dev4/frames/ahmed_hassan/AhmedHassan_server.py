import io
import os
import socketserver
import time

from PIL import Image


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FrameHandler(socketserver.BaseRequestHandler):
    def setup(self):
        self.started = time.time()

    def handle(self):
        img = Image.frombytes("RGB", (10, 10), os.urandom(300))
        out = io.BytesIO()
        img.save(out, "PNG")
        size = len(out.getvalue())
        self.request.sendall(out.getvalue())
        print(f"Sent an image to {self.client_address}")


def log(message):
    print("[server]", message)


if __name__ == "__main__":
    with Server(("0.0.0.0", 1234), FrameHandler) as srv:
        print("Listening on 0.0.0.0:1234")
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            pass
