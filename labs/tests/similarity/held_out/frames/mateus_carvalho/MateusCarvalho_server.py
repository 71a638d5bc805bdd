import io
import random
import socket
import sys
import threading

from PIL import Image

port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234


def random_color():
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def send_image(client, address):
    img = Image.new('RGB', (10, 10), 'black')
    for i in range(100):
        img.putpixel((i % 10, i // 10), random_color())
    buf = io.BytesIO()
    img.save(buf, 'png')
    client.sendall(buf.getvalue())
    client.close()
    print('Sent an image to', address)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('0.0.0.0', port))
server.listen(50)
print('Listening on 0.0.0.0:' + str(port))

try:
    while True:
        client, address = server.accept()
        threading.Thread(target=send_image, args=(client, address)).start()
except KeyboardInterrupt:
    print('closing')
    server.close()
