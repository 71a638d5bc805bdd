import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
COUNT = 250000


def handle(conn, addr):
    numbers = [str(random.randint(-999999999, 999999999)) for _ in range(COUNT)]
    conn.sendall(','.join(numbers).encode())
    conn.close()
    print(f'Sent a file to {addr}')


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen()
print(f'Listening on {HOST}:{PORT}')
try:
    while True:
        conn, addr = server.accept()
        threading.Thread(target=handle, args=(conn, addr)).start()
except KeyboardInterrupt:
    print('Server stopped')
server.close()
