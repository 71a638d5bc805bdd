import random
import socket
import threading

SERVER_IP = '0.0.0.0'
SERVER_PORT = 12345
NUMBERS_COUNT = 250000


def generate_numbers():
    numbers = [random.randint(-999999999, 999999999)
               for _ in range(NUMBERS_COUNT)]
    return ','.join(map(str, numbers))


def handle_client(conn, addr):
    data = generate_numbers().encode()
    conn.sendall(data)
    conn.close()
    print(f'Sent a file to {addr}')


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((SERVER_IP, SERVER_PORT))
    server_socket.listen()
    print(f'Listening on {SERVER_IP}:{SERVER_PORT}')
    try:
        while True:
            conn, addr = server_socket.accept()
            threading.Thread(target=handle_client, args=(conn, addr)).start()
    except KeyboardInterrupt:
        print('Stopping the server')
    server_socket.close()


if __name__ == '__main__':
    main()
