import random
import socket
import threading

NUMBERS_PER_LIST = 250000


def numbers_payload():
    values = [random.randint(-999999999, 999999999) for _ in range(NUMBERS_PER_LIST)]
    return ','.join(map(str, values)).encode()


def client_thread(client, address):
    with client:
        client.sendall(numbers_payload())
    print(f'Sent a file to {address}')


def start_server(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', port))
        server.listen()
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            client, address = server.accept()
            threading.Thread(target=client_thread, args=(client, address)).start()


if __name__ == '__main__':
    port = int(input('Port: ').strip() or 12345)
    try:
        start_server(port)
    except KeyboardInterrupt:
        print('Stopped')
