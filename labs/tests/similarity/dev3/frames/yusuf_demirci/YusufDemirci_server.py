import socket, threading, io, os
from PIL import Image


def send(c, a):
    im = Image.new('RGB', (10, 10))
    im.putdata([tuple(os.urandom(3)) for _ in range(100)])
    b = io.BytesIO()
    im.save(b, 'PNG')
    c.send(b.getvalue())
    c.close()
    print('Sent an image to', a)


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 1234))
s.listen()
print('Listening on 0.0.0.0:1234')
while True:
    try:
        c, a = s.accept()
    except KeyboardInterrupt:
        break
    threading.Thread(target=send, args=(c, a)).start()
s.close()
