import io
import random
import socket
import sys
import threading

from PIL import Image

DEFAULT_PORT = 1234


def random_color():
    return tuple(random.randint(0, 255) for _ in range(3))


def build_frame():
    frame = Image.new('RGB', (10, 10))
    for i in range(100):
        frame.putpixel((i % 10, i // 10), random_color())
    data = io.BytesIO()
    frame.save(data, format='PNG')
    return data.getvalue()


def serve(client, address):
    try:
        client.sendall(build_frame())
    except OSError as e:
        print(f'Could not send to {address}: {e}')
    else:
        print(f'Sent an image to {address}')
    finally:
        client.close()


def run(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', port))
    listener.listen(128)
    print(f'Listening on 0.0.0.0:{port}')
    try:
        while True:
            client, address = listener.accept()
            threading.Thread(target=serve, args=(client, address), daemon=True).start()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


if __name__ == '__main__':
    run(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PORT)
