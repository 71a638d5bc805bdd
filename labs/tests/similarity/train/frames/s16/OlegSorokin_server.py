import io
import random
import socket
import threading

from PIL import Image

BIND_HOST = "0.0.0.0"
BIND_PORT = 1234
W = H = 10


def client_job(conn, peer):
    try:
        conn.sendall(make_png())
    finally:
        conn.close()
    print(f"Sent an image to {peer}")


def run():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((BIND_HOST, BIND_PORT))
        listener.listen()
        print(f"Listening on {BIND_HOST}:{BIND_PORT}")
        while True:
            conn, peer = listener.accept()
            t = threading.Thread(
                target=client_job, args=(conn, peer), daemon=True
            )
            t.start()


def make_png():
    img = Image.new("RGB", (W, H))
    colours = []
    for _ in range(W * H):
        colours.append(tuple(random.choices(range(256), k=3)))
    img.putdata(colours)
    with io.BytesIO() as stream:
        img.save(stream, format="PNG")
        return stream.getvalue()


if __name__ == "__main__":
    try:
        run()
    except KeyboardInterrupt:
        print("Server stopped")
