import io
import random
import socket
import threading

from PIL import Image

PORT = 1234


def generate_png():
    raw = bytes(random.getrandbits(8) for _ in range(10 * 10 * 3))
    img = Image.frombytes('RGB', (10, 10), raw)
    out = io.BytesIO()
    img.save(out, 'PNG')
    return out.getvalue()


def send_image(conn):
    addr = conn.getpeername()
    conn.sendall(generate_png())
    conn.close()
    print('Sent an image to', addr)


if __name__ == '__main__':
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', PORT))
    s.listen(10)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            conn, addr = s.accept()
            threading.Thread(target=send_image, args=(conn,)).start()
    except KeyboardInterrupt:
        s.close()
