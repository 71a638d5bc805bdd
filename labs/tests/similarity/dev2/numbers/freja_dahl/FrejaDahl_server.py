import socket
import threading
import random

port = 12345


def make_numbers():
    text = ''
    for i in range(250000):
        if i > 0:
            text += ','
        text += str(random.randint(-999999999, 999999999))
    return text


def send_numbers(conn, addr):
    conn.sendall(make_numbers().encode())
    conn.close()
    print('Sent a file to', addr)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('0.0.0.0', port))
server.listen()
print('Listening on 0.0.0.0:' + str(port))
try:
    while True:
        conn, addr = server.accept()
        threading.Thread(target=send_numbers, args=(conn, addr)).start()
except KeyboardInterrupt:
    server.close()
