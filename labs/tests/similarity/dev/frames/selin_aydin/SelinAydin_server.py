import io
import random
import socket
import sys
import threading

from PIL import Image

served = 0
served_lock = threading.Lock()


def png_bytes():
    raw = bytes(random.randrange(256) for _ in range(10 * 10 * 3))
    image = Image.frombytes('RGB', (10, 10), raw)
    stream = io.BytesIO()
    image.save(stream, format='PNG')
    return stream.getvalue()


def send_frame(client, address):
    global served
    client.sendall(png_bytes())
    client.close()
    with served_lock:
        served += 1
        count = served
    print(f'Sent an image to {address} (#{count})')


def main():
    port = int(sys.argv[1]) if len(sys.argv) == 2 else 1234
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('', port))
    server.listen(64)
    print(f'Listening on 0.0.0.0:{port}')
    while True:
        client, address = server.accept()
        threading.Thread(target=send_frame, args=(client, address)).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Server stopped')
