# Oskar Lindqvist, lab 2, frames server: a thread per client,
# each one sends a random 10x10 PNG and hangs up.
import io
import random
import socket
import threading

from PIL import Image

BIND_IP = '0.0.0.0'
BIND_PORT = 1234
SIDE = 10

total_sent = 0
total_lock = threading.Lock()


def any_rgb():
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def png_payload():
    canvas = Image.new('RGB', (SIDE, SIDE))
    for col in range(SIDE):
        for row in range(SIDE):
            canvas.putpixel((col, row), any_rgb())
    memfile = io.BytesIO()
    canvas.save(memfile, format='PNG')
    return memfile.getvalue()


def client_job(peer_sock, peer_addr):
    global total_sent
    try:
        peer_sock.sendall(png_payload())
    except OSError as err:
        print(f'Error while sending to {peer_addr}: {err}')
        return
    finally:
        peer_sock.close()
    with total_lock:
        total_sent += 1
    print(f'Sent an image to {peer_addr}')


def serve():
    listen_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listen_sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listen_sock.bind((BIND_IP, BIND_PORT))
    listen_sock.listen(100)
    print(f'Listening on {BIND_IP}:{BIND_PORT}')
    try:
        while True:
            peer_sock, peer_addr = listen_sock.accept()
            job = threading.Thread(target=client_job, args=(peer_sock, peer_addr))
            job.daemon = True
            job.start()
    except KeyboardInterrupt:
        print(f'\nServer stopped, {total_sent} images sent')
    finally:
        listen_sock.close()


if __name__ == '__main__':
    serve()
