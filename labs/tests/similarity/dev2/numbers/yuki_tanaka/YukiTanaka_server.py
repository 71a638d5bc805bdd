import random
import socket
import threading


def send(c, a):
    with c:
        nums = (random.randint(-999999999, 999999999) for _ in range(250000))
        c.sendall(','.join(map(str, nums)).encode())
    print('Sent a file to', a)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 12345))
s.listen()
print('Listening on 0.0.0.0:12345')
try:
    while True:
        threading.Thread(target=send, args=s.accept(), daemon=True).start()
except KeyboardInterrupt:
    s.close()
