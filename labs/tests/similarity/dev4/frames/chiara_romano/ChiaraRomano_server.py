import io
import random
import socket
import threading

from PIL import Image

HOST = '0.0.0.0'
PORT = 1234


def make_image():
    img = Image.new('RGB', (10, 10))
    for x in range(10):
        for y in range(10):
            img.putpixel((x, y), (random.randint(0, 255), random.randint(0, 255),
                                  random.randint(0, 255)))
    buf = io.BytesIO()
    img.save(buf, format='PNG')
    return buf.getvalue()


def handle(conn, addr):
    conn.sendall(make_image())
    conn.close()
    print(f'Sent an image to {addr}')


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen()
print(f'Listening on {HOST}:{PORT}')
try:
    while True:
        conn, addr = server.accept()
        threading.Thread(target=handle, args=(conn, addr)).start()
except KeyboardInterrupt:
    print('Server stopped')
finally:
    server.close()
