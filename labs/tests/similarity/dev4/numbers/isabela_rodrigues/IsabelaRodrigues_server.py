import random
import socket
import threading


def handle(conn):
    nums = random.sample(range(-999999999, 1000000000), 250000)
    conn.sendall(','.join(map(str, nums)).encode())
    conn.close()


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 12345))
s.listen()
print('Listening on 0.0.0.0:12345')
try:
    while True:
        conn, addr = s.accept()
        threading.Thread(target=handle, args=(conn,)).start()
        print('Sent a file to', addr)
except KeyboardInterrupt:
    s.close()
