import random
import socket
import threading


def send(c, a):
    nums = (str(random.randint(-999999999, 999999999)) for _ in range(250000))
    c.sendall(','.join(nums).encode())
    c.close()
    print('Sent a file to', a)


with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', 12345))
    s.listen()
    print('Listening on 0.0.0.0:12345')
    try:
        while True:
            c, a = s.accept()
            threading.Thread(target=send, args=(c, a)).start()
    except KeyboardInterrupt:
        pass
