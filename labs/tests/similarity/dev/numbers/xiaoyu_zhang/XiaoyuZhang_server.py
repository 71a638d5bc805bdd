import random
import socket
import threading


def send(conn, addr):
    with conn:
        conn.sendall(','.join(str(random.randint(-999999999, 999999999))
                              for _ in range(250000)).encode())
    print('Sent a file to', addr)


with socket.create_server(('0.0.0.0', 12345)) as s:
    print('Listening on 0.0.0.0:12345')
    try:
        while True:
            threading.Thread(target=send, args=s.accept()).start()
    except KeyboardInterrupt:
        pass
