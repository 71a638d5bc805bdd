"""Thread-per-connection frame server."""
from __future__ import annotations

import io
import os
import socket
import threading

from PIL import Image


class RandomFrameServer:
    def __init__(self, host: str = '0.0.0.0', port: int = 1234, size=(10, 10)):
        self.host = host
        self.port = port
        self.size = size
        self.sent = 0
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def render(self) -> bytes:
        w, h = self.size
        image = Image.frombytes('RGB', self.size, os.urandom(w * h * 3))
        buf = io.BytesIO()
        image.save(buf, format='PNG')
        return buf.getvalue()

    def handle(self, conn: socket.socket, addr) -> None:
        with conn:
            conn.sendall(self.render())
        with self.lock:
            self.sent += 1
        print(f'Sent an image to {addr}')

    def serve_forever(self) -> None:
        self.sock.bind((self.host, self.port))
        self.sock.listen()
        print(f'Listening on {self.host}:{self.port}')
        while True:
            conn, addr = self.sock.accept()
            threading.Thread(target=self.handle, args=(conn, addr), daemon=True).start()

    def close(self) -> None:
        self.sock.close()
        print(f'Closed after {self.sent} images')


if __name__ == '__main__':
    server = RandomFrameServer()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
