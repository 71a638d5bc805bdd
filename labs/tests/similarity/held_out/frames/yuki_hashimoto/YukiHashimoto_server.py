import io
import os
import socket
import threading

from PIL import Image


def send(conn, addr):
    buf = io.BytesIO()
    Image.frombytes('RGB', (10, 10), os.urandom(300)).save(buf, 'PNG')
    conn.sendall(buf.getvalue())
    conn.close()
    print('Sent an image to', addr)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 1234))
s.listen()
print('Listening on 0.0.0.0:1234')
try:
    while True:
        threading.Thread(target=send, args=s.accept()).start()
except KeyboardInterrupt:
    s.close()
