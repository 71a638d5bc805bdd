import socket
import threading
import random
from io import BytesIO
from PIL import Image

IP = '0.0.0.0'
PORT = 1234

s = socket.socket()
s.bind((IP, PORT))
s.listen(10)
print(f'Listening on {IP}:{PORT}')


def send_image(c, a):
    img = Image.new('RGB', (10, 10))
    img.putdata([tuple(random.choices(range(256), k=3)) for _ in range(100)])
    b = BytesIO()
    img.save(b, 'png')
    c.send(b.getvalue())
    c.close()
    print('Sent an image to', a)


while True:
    try:
        c, a = s.accept()
        t = threading.Thread(target=send_image, args=(c, a))
        t.start()
    except KeyboardInterrupt:
        break
s.close()
