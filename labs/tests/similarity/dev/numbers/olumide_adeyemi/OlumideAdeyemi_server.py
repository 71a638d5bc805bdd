import random
import socket
import threading

SERVER_HOST = '0.0.0.0'
SERVER_PORT = 12345
NUMBER_COUNT = 250000
MIN_VALUE = -999999999
MAX_VALUE = 999999999


def build_payload():
    parts = []
    for _ in range(NUMBER_COUNT):
        parts.append(str(random.randrange(MIN_VALUE, MAX_VALUE + 1)))
    return ','.join(parts).encode()


def handle_connection(client_socket, client_address):
    payload = build_payload()
    client_socket.sendall(payload)
    client_socket.close()
    print(f'Sent a file to {client_address}')


def start_server():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.bind((SERVER_HOST, SERVER_PORT))
    server_socket.listen(10)
    print(f'Listening on {SERVER_HOST}:{SERVER_PORT}')
    while True:
        try:
            client_socket, client_address = server_socket.accept()
        except KeyboardInterrupt:
            break
        handler = threading.Thread(target=handle_connection,
                                   args=(client_socket, client_address))
        handler.start()
    server_socket.close()
    print('Server closed')


if __name__ == '__main__':
    start_server()
