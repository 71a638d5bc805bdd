import socket
import threading
import random
import time
from io import BytesIO
from PIL import Image

ADDR = "0.0.0.0"
PORT_NO = 1234
sent_count = 0


def random_colour():
    return tuple(random.choices(range(256), k=3))


def push_picture(sock, peer):
    pic = Image.new("RGB", (10, 10))
    pic.putdata([tuple(random.choices(range(256), k=3))
                 for _ in range(100)])

    mem = BytesIO()
    pic.save(mem, "png")
    sock.send(mem.getvalue())
    sock.close()
    print("Sent an image to", peer)


listener = socket.socket()
listener.bind((ADDR, PORT_NO))
listener.listen(10)
print(f"Listening on {ADDR}:{PORT_NO}")
print("debug: started at", time.ctime())

while True:
    try:
        sock, peer = listener.accept()
        worker = threading.Thread(target=push_picture, args=(sock, peer))
        worker.start()
    except KeyboardInterrupt:
        break
listener.close()
