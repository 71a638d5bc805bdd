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
        colors = []
        for _ in range(100):
            value = random.getrandbits(24)
            colors.append((value >> 16, (value >> 8) & 0xFF, value & 0xFF))
        frame = Image.new('RGB', (10, 10))
        frame.putdata(colors)
        with io.BytesIO() as buffer:
            frame.save(buffer, format='PNG')
            return buffer.getvalue()

    def _handle(self, conn, addr):
        with conn:
            conn.sendall(self.random_frame())
        print(f'Sent an image to {addr}')

    def serve_forever(self):
        self.sock.bind((self.host, self.port))
        self.sock.listen()
        print(f'Listening on {self.host}:{self.port}')
        while True:
            conn, addr = self.sock.accept()
            threading.Thread(target=self._handle, args=(conn, addr)).start()

    def close(self):
        self.sock.close()


if __name__ == '__main__':
    server = FrameServer()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Server closed')
    finally:
        server.close()
