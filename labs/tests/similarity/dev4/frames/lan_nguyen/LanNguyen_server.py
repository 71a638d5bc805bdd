import io
import socket
import threading
from random import randint

from PIL import Image


class ImageSender(threading.Thread):
    def __init__(self, sock, addr):
        threading.Thread.__init__(self)
        self.sock = sock
        self.addr = addr

    def make_png(self):
        im = Image.new('RGB', (10, 10))
        im.putdata([(randint(0, 255), randint(0, 255), randint(0, 255)) for _ in range(100)])
        data = io.BytesIO()
        im.save(data, 'PNG')
        return data.getvalue()

    def run(self):
        try:
            self.sock.sendall(self.make_png())
            print('Sent an image to', self.addr)
        finally:
            self.sock.close()


def start(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', port))
    listener.listen(20)
    print('Listening on 0.0.0.0:' + str(port))
    try:
        while True:
            sock, addr = listener.accept()
            ImageSender(sock, addr).start()
    except KeyboardInterrupt:
        print('Server is shutting down')
    listener.close()


if __name__ == '__main__':
    answer = input('Port (default 1234): ').strip()
    start(int(answer) if answer else 1234)
