import io
import os
import socket
import threading

from PIL import Image

PORT = 1234


def png_frame():
    bands = [Image.frombytes('L', (10, 10), os.urandom(100)) for _ in range(3)]
    frame = Image.merge('RGB', bands)
    with io.BytesIO() as buffer:
        frame.save(buffer, format='PNG')
        return buffer.getvalue()


def reply(conn, addr):
    with conn:
        conn.sendall(png_frame())
    print(f'Sent an image to {addr}')


def serve():
    port = int(input(f'Port [{PORT}]: ') or PORT)
    with socket.create_server(('0.0.0.0', port), backlog=128) as server:
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            conn, addr = server.accept()
            threading.Thread(target=reply, args=(conn, addr), daemon=True).start()


if __name__ == '__main__':
    try:
        serve()
    except KeyboardInterrupt:
        print()
        print('Server shut down')
