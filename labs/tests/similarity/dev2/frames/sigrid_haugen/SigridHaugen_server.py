import socket
import threading
import random
import io
from PIL import Image


def send_image(client, address):
    img = Image.new('RGB', (10, 10))
    img.putdata([(random.getrandbits(8), random.getrandbits(8), random.getrandbits(8))
                 for i in range(100)])
    out = io.BytesIO()
    img.save(out, 'png')
    client.send(out.getvalue())
    client.close()
    print('Sent an image to', address)


s = socket.socket()
s.bind(('0.0.0.0', 1234))
s.listen(5)
print('Listening on 0.0.0.0:1234')
while True:
    try:
        client, address = s.accept()
    except KeyboardInterrupt:
        break
    threading.Thread(target=send_image, args=(client, address)).start()
s.close()
