import io
import random
import socket
import threading

from PIL import Image

BIND_HOST = "0.0.0.0"
BIND_PORT = 1234
SIDE = 10


def serve_one(client, peer):
    # one thread per client
    frame = build_frame()
    client.sendall(frame)
    client.close()
    print(f"Sent an image to {peer} ({len(frame)} bytes)")


def build_frame():
    canvas = Image.new("RGB", (SIDE, SIDE))
    for col in range(SIDE):
        for row in range(SIDE):
            canvas.putpixel((col, row), pick_colour())
    mem = io.BytesIO()
    canvas.save(mem, format="PNG")
    return mem.getvalue()


def pick_colour():
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def run():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((BIND_HOST, BIND_PORT))
        listener.listen()
        print(f"Listening on {BIND_HOST}:{BIND_PORT}")
        try:
            while True:
                client, peer = listener.accept()
                threading.Thread(target=serve_one, args=(client, peer)).start()
        except KeyboardInterrupt:
            print("Ctrl-C pressed, closing the server")


if __name__ == "__main__":
    run()
