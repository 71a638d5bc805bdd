import io
import random
import socket
import threading

from PIL import Image

PORT = 1234


def random_frame():
    colors = []
    for _ in range(10 * 10):
        r = random.randint(0, 255)
        g = random.randint(0, 255)
        b = random.randint(0, 255)
        colors.append((r, g, b))
    frame = Image.new('RGB', (10, 10))
    frame.putdata(colors)
    out = io.BytesIO()
    frame.save(out, format='PNG')
    return out.getvalue()


def worker(client, addr):
    with client:
        client.sendall(random_frame())
    print(f'Sent an image to {addr}')


if __name__ == '__main__':
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', PORT))
        server.listen(32)
        print(f'Listening on 0.0.0.0:{PORT}')
        while True:
            try:
                client, addr = server.accept()
            except KeyboardInterrupt:
                print('Server interrupted')
                break
            threading.Thread(target=worker, args=(client, addr)).start()
