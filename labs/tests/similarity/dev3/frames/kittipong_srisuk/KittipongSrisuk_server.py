import io
import random
import socket
import threading

from PIL import Image


def handle(conn, addr):
    img = Image.new('RGB', (10, 10))
    img.putdata([tuple(random.choices(range(256), k=3)) for _ in range(100)])
    buf = io.BytesIO()
    img.save(buf, 'png')
    with conn:
        conn.sendall(buf.getvalue())
    print('Sent an image to', addr)


with socket.socket() as s:
    s.bind(('0.0.0.0', 1234))
    s.listen()
    print('Listening on 0.0.0.0:1234')
    try:
        while True:
            threading.Thread(target=handle, args=s.accept()).start()
    except KeyboardInterrupt:
        print('stopped')
