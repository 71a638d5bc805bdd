import random as r
import socket
import threading as th


def send(c, a):
    c.sendall(','.join(str(r.randint(-999999999, 999999999)) for _ in range(250000)).encode())
    c.close()
    print('Sent a file to', a)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 12345))
s.listen()
print('Listening on 0.0.0.0:12345')
while True:
    try:
        th.Thread(target=send, args=s.accept()).start()
    except KeyboardInterrupt:
        s.close()
        break
