import io
import random
import socket
import threading

from PIL import Image

HOST = ''
PORT = 1234
SIDE = 10


def png_bytes():
    raw = bytearray()
    for _ in range(SIDE * SIDE):
        raw.extend((random.randint(0, 255), random.randint(0, 255), random.randint(0, 255)))
    picture = Image.frombytes('RGB', (SIDE, SIDE), bytes(raw))
    out = io.BytesIO()
    picture.save(out, 'PNG')
    return out.getvalue()


def answer(conn, peer):
    try:
        conn.sendall(png_bytes())
    except OSError as exc:
        print(f'Error while sending to {peer}: {exc}')
    else:
        print(f'Sent an image to {peer}')
    finally:
        conn.close()


def spawn(conn, peer):
    t = threading.Thread(target=answer, args=(conn, peer), daemon=True)
    t.start()
    return t


def main():
    server = socket.create_server((HOST, PORT), backlog=128)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            spawn(*server.accept())
    except KeyboardInterrupt:
        print('Ctrl-C, bye')
    finally:
        server.close()


if __name__ == '__main__':
    main()
