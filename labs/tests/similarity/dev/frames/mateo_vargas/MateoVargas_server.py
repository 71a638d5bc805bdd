import io
import random
import socket
import threading

from PIL import Image


class FrameServer:
    def __init__(self, host='0.0.0.0', port=1234):
        self.host = host
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    @staticmethod
    def random_frame():
        img = Image.new('RGB', (10, 10))
        img.putdata([tuple(random.choices(range(256), k=3)) for _ in range(100)])
        out = io.BytesIO()
        img.save(out, format='PNG')
        return out.getvalue()

    def handle(self, conn, addr):
        try:
            conn.sendall(self.random_frame())
        finally:
            conn.close()
        print(f'Sent an image to {addr}')

    def serve(self):
        self.sock.bind((self.host, self.port))
        self.sock.listen(128)
        print(f'Listening on {self.host}:{self.port}')
        try:
            while True:
                conn, addr = self.sock.accept()
                threading.Thread(target=self.handle, args=(conn, addr), daemon=True).start()
        except KeyboardInterrupt:
            print('Server stopped by user')
        finally:
            self.sock.close()


if __name__ == '__main__':
    FrameServer().serve()
