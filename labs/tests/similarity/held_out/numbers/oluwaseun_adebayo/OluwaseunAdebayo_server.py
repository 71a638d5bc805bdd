import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
COUNT = 250000
LOW = -999999999
HIGH = 999999999


def handle_client(client_socket, address):
    numbers = [random.randint(LOW, HIGH) for _ in range(COUNT)]
    message = ','.join(str(n) for n in numbers)
    client_socket.sendall(message.encode('ascii'))
    client_socket.close()
    print(f'Sent a file to {address}')


def start_server():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, PORT))
    server_socket.listen(5)
    print(f'Listening on {HOST}:{PORT}')
    while True:
        client_socket, address = server_socket.accept()
        thread = threading.Thread(target=handle_client, args=(client_socket, address))
        thread.start()


if __name__ == '__main__':
    try:
        start_server()
    except KeyboardInterrupt:
        print('Server shut down')
