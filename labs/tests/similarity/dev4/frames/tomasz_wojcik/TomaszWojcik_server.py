import io
import random
import socket
import threading

from PIL import Image

LISTEN_ADDR = ('0.0.0.0', 1234)


def png_bytes():
    noise = random.randbytes(300)
    img = Image.new('RGB', (10, 10))
    img.putdata([tuple(noise[i:i + 3]) for i in range(0, len(noise), 3)])
    with io.BytesIO() as buf:
        img.save(buf, 'PNG')
        return buf.getvalue()


def serve(conn, peer):
    try:
        conn.sendall(png_bytes())
    except OSError as err:
        print(f'Failed to send to {peer}: {err}')
    else:
        print(f'Sent an image to {peer}')
    finally:
        conn.close()


def main():
    # create_server() already sets SO_REUSEADDR on Linux
    srv = socket.create_server(LISTEN_ADDR, backlog=128)
    print('Listening on %s:%d' % LISTEN_ADDR)
    try:
        while True:
            conn, peer = srv.accept()
            threading.Thread(target=serve, args=(conn, peer), daemon=True).start()
    except KeyboardInterrupt:
        print('interrupted')
    finally:
        srv.close()


if __name__ == '__main__':
    main()
