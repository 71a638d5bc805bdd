import io
import random
import socket
import threading

from PIL import Image

ADDRESS = ('0.0.0.0', 1234)


def send_frame(conn, addr):
    img = Image.frombytes('RGB', (10, 10), random.randbytes(300))
    out = io.BytesIO()
    img.save(out, 'png')
    conn.send(out.getvalue())
    conn.close()
    print(f'Sent an image to {addr}')


def start():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(ADDRESS)
    s.listen(50)
    print('Listening on %s:%d' % ADDRESS)
    try:
        while True:
            conn, addr = s.accept()
            threading.Thread(target=send_frame, args=(conn, addr)).start()
    except KeyboardInterrupt:
        pass
    s.close()


if __name__ == '__main__':
    start()
