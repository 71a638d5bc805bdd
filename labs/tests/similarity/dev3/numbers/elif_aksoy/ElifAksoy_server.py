import socket
import threading
import random


def serve(c, a):
    c.sendall(','.join(str(random.randint(-999999999, 999999999))
                       for _ in range(250000)).encode())
    c.close()
    print('Sent a file to', a)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('', 12345))
s.listen()
print('Listening on 0.0.0.0:12345')
try:
    while True:
        c, a = s.accept()
        threading.Thread(target=serve, args=(c, a)).start()
except KeyboardInterrupt:
    s.close()
