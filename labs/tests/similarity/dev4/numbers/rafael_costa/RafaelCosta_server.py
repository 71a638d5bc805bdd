import random
import socket
import sys
import threading

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def make_list():
    text = str(random.randint(-999999999, 999999999))
    for _ in range(249999):
        text += ',' + str(random.randint(-999999999, 999999999))
    return text


def handle(conn):
    conn.sendall(make_list().encode())
    print('Sent a file to', conn.getpeername())
    conn.close()


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('0.0.0.0', PORT))
sock.listen()
print(f'Listening on 0.0.0.0:{PORT}')
try:
    while True:
        conn, addr = sock.accept()
        threading.Thread(target=handle, args=(conn,)).start()
except KeyboardInterrupt:
    sock.close()
