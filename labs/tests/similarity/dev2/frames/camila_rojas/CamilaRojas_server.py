from __future__ import annotations

import io
import os
import socket
import threading

from PIL import Image


class PictureServer:
    def __init__(self, bind_host: str = "0.0.0.0", bind_port: int = 1234, dims=(10, 10)):
        self.bind_host = bind_host
        self.bind_port = bind_port
        self.dims = dims
        self.count = 0
        self.mutex = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def start(self) -> None:
        self.listener.bind((self.bind_host, self.bind_port))
        self.listener.listen()
        print(f"Listening on {self.bind_host}:{self.bind_port}")
        while True:
            client, peer = self.listener.accept()
            threading.Thread(
                target=self.on_client, args=(client, peer), daemon=True
            ).start()

    def on_client(self, client: socket.socket, peer) -> None:
        with client:
            client.sendall(self.build_png())
        with self.mutex:
            self.count = self.count + 1
        print(f"Sent an image to {peer}")

    def build_png(self) -> bytes:
        width, height = self.dims
        pic = Image.frombytes("RGB", self.dims, os.urandom(width * height * 3))
        stream = io.BytesIO()
        pic.save(stream, format="PNG")
        return stream.getvalue()

    def stop(self) -> None:
        self.listener.close()
        print(f"Closed after {self.count} images")


if __name__ == "__main__":
    srv = PictureServer()
    try:
        srv.start()
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop()
