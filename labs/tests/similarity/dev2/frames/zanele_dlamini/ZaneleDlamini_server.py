# Zanele Dlamini - frames server.
import io
import random
import socket
import threading
import time

from PIL import Image

BIND_IP = "0.0.0.0"
BIND_PORT = 1234
SIDE = 10
BACKLOG = 100

total_sent = 0
total_lock = threading.Lock()
start_time = time.time()


def serve():
    listen_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listen_sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listen_sock.bind((BIND_IP, BIND_PORT))
    listen_sock.listen(BACKLOG)
    print(f"Listening on {BIND_IP}:{BIND_PORT}")
    try:
        while True:
            peer_sock, peer_addr = listen_sock.accept()
            job = threading.Thread(
                target=client_job, args=(peer_sock, peer_addr)
            )
            job.daemon = True
            job.start()
    except KeyboardInterrupt:
        print(f"\nServer stopped, {total_sent} images sent")
    finally:
        listen_sock.close()


def client_job(peer_sock, peer_addr):
    global total_sent
    try:
        peer_sock.sendall(png_payload())
    except OSError as err:
        print(f"Error while sending to {peer_addr}: {err}")
        return
    finally:
        peer_sock.close()
    with total_lock:
        total_sent += 1
    print(f"Sent an image to {peer_addr}")


def any_grey():
    level = random.randint(0, 255)
    return (level, level, level)


def png_payload():
    canvas = Image.new("RGB", (SIDE, SIDE))
    for col in range(SIDE):
        for row in range(SIDE):
            canvas.putpixel((col, row), any_rgb())

    memfile = io.BytesIO()
    canvas.save(memfile, format="PNG")
    return memfile.getvalue()


def any_rgb():
    return (
        random.randint(0, 255),
        random.randint(0, 255),
        random.randint(0, 255),
    )


if __name__ == "__main__":
    serve()
