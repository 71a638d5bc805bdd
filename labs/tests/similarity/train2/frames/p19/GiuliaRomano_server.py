# Giulia Romano - frames server
import datetime
import io
import random
import socket
import threading

from PIL import Image

LISTEN_ADDR = ('0.0.0.0', 1234)


def build_frame():
    img = Image.new('RGB', (10, 10), 'black')
    coords = [(x, y) for y in range(10) for x in range(10)]
    for xy in coords:
        img.putpixel(xy, (random.getrandbits(8), random.getrandbits(8), random.getrandbits(8)))
    out = io.BytesIO()
    img.save(out, 'PNG')
    return out.getvalue()


def client_job(conn, who):
    payload = build_frame()
    conn.sendall(payload)
    conn.close()
    stamp = datetime.datetime.now().strftime('%H:%M:%S')
    print(f'[{stamp}] Sent an image to {who}')


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(LISTEN_ADDR)
srv.listen(128)
print('Listening on {}:{}'.format(*LISTEN_ADDR))

try:
    while True:
        conn, who = srv.accept()
        job = threading.Thread(target=client_job, args=(conn, who))
        job.daemon = True
        job.start()
except KeyboardInterrupt:
    print('stopping')
finally:
    srv.close()
