import io, random, socket, threading
from PIL import Image


def handle(conn, addr):
    img = Image.frombytes('RGB', (10, 10), bytes(random.randrange(256) for _ in range(300)))
    buf = io.BytesIO()
    img.save(buf, 'PNG')
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
        threading.Thread(target=handle, args=s.accept()).start()
except KeyboardInterrupt:
    s.close()
