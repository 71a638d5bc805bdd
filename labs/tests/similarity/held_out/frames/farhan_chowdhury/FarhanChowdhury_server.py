import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234
WIDTH = 10
HEIGHT = 10


def random_pixels(count):
    for _ in range(count):
        yield random.getrandbits(8), random.getrandbits(8), random.getrandbits(8)


def png_bytes():
    image = Image.new('RGB', (WIDTH, HEIGHT))
    image.putdata(list(random_pixels(WIDTH * HEIGHT)))
    with io.BytesIO() as output:
        image.save(output, format='PNG')
        return output.getvalue()


def client_thread(conn, address):
    try:
        conn.sendall(png_bytes())
        print(f'Sent an image to {address}')
    except ConnectionError as err:
        print(f'Failed to send to {address}: {err}')
    finally:
        conn.close()


def main():
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((HOST, PORT))
        s.listen(64)
        print(f'Listening on {HOST}:{PORT}')
        while True:
            try:
                conn, address = s.accept()
            except KeyboardInterrupt:
                print('Ctrl-C pressed, server closed')
                break
            threading.Thread(target=client_thread, args=(conn, address)).start()


if __name__ == '__main__':
    main()
