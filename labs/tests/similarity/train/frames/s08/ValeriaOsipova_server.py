import io
import random
import socket
import threading

from PIL import Image

PORT = 1234


def image_bytes():
    raw = bytes(random.getrandbits(8) for _ in range(300))
    picture = Image.frombytes('RGB', (10, 10), raw)
    result = io.BytesIO()
    picture.save(result, format='PNG')
    return result.getvalue()


def worker(client, addr):
    client.sendall(image_bytes())
    client.shutdown(socket.SHUT_WR)
    client.close()
    print(f'Sent an image to {addr}')


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('', PORT))
    listener.listen(128)
    print(f'Listening on 0.0.0.0:{PORT}')
    while True:
        try:
            client, addr = listener.accept()
        except KeyboardInterrupt:
            print('stopped')
            break
        threading.Thread(target=worker, args=(client, addr)).start()
