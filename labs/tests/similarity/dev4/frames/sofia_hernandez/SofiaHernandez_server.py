import io
import os
import socket
import threading

from PIL import Image


def handle(conn):
    buf = io.BytesIO()
    Image.frombytes('RGB', (10, 10), os.urandom(300)).save(buf, 'PNG')
    conn.sendall(buf.getvalue())
    conn.close()


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 1234))
s.listen()
print('Listening on 0.0.0.0:1234')
while True:
    try:
        conn, addr = s.accept()
    except KeyboardInterrupt:
        break
    threading.Thread(target=handle, args=(conn,)).start()
    print(f'Sent an image to {addr}')
s.close()
