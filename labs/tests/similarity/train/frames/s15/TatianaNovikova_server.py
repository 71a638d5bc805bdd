import io
import random
import socket
import threading

from PIL import Image


def get_port():
    answer = input('Enter port (default 1234): ').strip()
    if answer == '':
        return 1234
    return int(answer)


def make_picture():
    reds = [random.randint(0, 255) for _ in range(100)]
    greens = [random.randint(0, 255) for _ in range(100)]
    blues = [random.randint(0, 255) for _ in range(100)]
    picture = Image.new('RGB', (10, 10))
    picture.putdata(list(zip(reds, greens, blues)))
    buffer = io.BytesIO()
    picture.save(buffer, format='PNG')
    return buffer.getvalue()


def send_picture(sock, address):
    sock.sendall(make_picture())
    sock.close()
    print(f'Sent an image to {address}')


if __name__ == '__main__':
    port = get_port()
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(('0.0.0.0', port))
    listening.listen(5)
    print(f'Listening on 0.0.0.0:{port}')
    while True:
        try:
            sock, address = listening.accept()
            threading.Thread(target=send_picture, args=(sock, address)).start()
        except KeyboardInterrupt:
            print('Bye!')
            listening.close()
            break
