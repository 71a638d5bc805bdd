import io
import random
import socket
import sys
import threading

from PIL import Image

listen_port = int(sys.argv[1]) if len(sys.argv) > 1 else 1234


def rand_rgb():
    return (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def serve(conn, peer):
    picture = Image.new('RGB', (10, 10), 'black')
    for k in range(100):
        picture.putpixel((k % 10, k // 10), rand_rgb())
    stream = io.BytesIO()
    picture.save(stream, 'png')
    conn.sendall(stream.getvalue())
    conn.close()
    print('Sent an image to', peer)


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('0.0.0.0', listen_port))
srv.listen(50)
print('Listening on 0.0.0.0:' + str(listen_port))

try:
    while True:
        conn, peer = srv.accept()
        threading.Thread(target=serve, args=(conn, peer)).start()
except KeyboardInterrupt:
    print('stopped')
    srv.close()
