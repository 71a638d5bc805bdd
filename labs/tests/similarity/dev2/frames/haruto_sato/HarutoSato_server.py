import io
import os
import socket
import threading

from PIL import Image


def send(c, a):
    b = io.BytesIO()
    Image.frombytes('RGB', (10, 10), os.urandom(300)).save(b, 'PNG')
    c.sendall(b.getvalue())
    c.close()
    print('Sent an image to', a)


with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', 1234))
    s.listen()
    print('Listening on 0.0.0.0:1234')
    try:
        while True:
            threading.Thread(target=send, args=s.accept()).start()
    except KeyboardInterrupt:
        pass
