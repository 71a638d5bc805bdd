import random
import socket
import threading

LISTEN_IP = '0.0.0.0'
LISTEN_PORT = 12345
AMOUNT = 250000


def send_numbers(client, client_addr):
    values = [str(random.randint(-999999999, 999999999)) for _ in range(AMOUNT)]
    client.sendall(','.join(values).encode())
    client.close()
    print(f'Sent a file to {client_addr}')


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((LISTEN_IP, LISTEN_PORT))
srv.listen()
print(f'Listening on {LISTEN_IP}:{LISTEN_PORT}')
try:
    while True:
        client, client_addr = srv.accept()
        threading.Thread(target=send_numbers, args=(client, client_addr)).start()
except KeyboardInterrupt:
    print('Shutting down')
srv.close()
