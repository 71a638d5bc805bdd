import io
import random
import socketserver
import threading

from PIL import Image

BIND_TO = ("0.0.0.0", 1234)


class PictureHandler(socketserver.StreamRequestHandler):

    def handle(self):
        pic = Image.new("RGB", (10, 10))
        for n in range(100):
            rgb = tuple(random.randint(0, 255) for _ in range(3))
            pic.putpixel((n % 10, n // 10), rgb)
        mem = io.BytesIO()
        pic.save(mem, format="PNG")
        self.wfile.write(mem.getvalue())
        thread_name = threading.current_thread().name
        print(f"Sent an image to {self.client_address} ({thread_name})")


class MultiServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


def run_server():
    srv = MultiServer(BIND_TO, PictureHandler)
    print("Listening on %s:%d" % BIND_TO)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        print("Stopped")
    finally:
        srv.server_close()


if __name__ == "__main__":
    run_server()
