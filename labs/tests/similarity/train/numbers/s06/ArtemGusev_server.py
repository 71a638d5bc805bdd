import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
COUNT = 250000


def random_numbers():
    numbers = [random.randint(-999999999, 999999999) for _ in range(COUNT)]
    return ','.join(str(n) for n in numbers)


def client_handler(conn, addr):
    conn.sendall(random_numbers().encode('ascii'))
    conn.close()
    print(f'Sent a file to {addr}')


def start_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(10)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = server.accept()
            handler = threading.Thread(target=client_handler, args=(conn, addr))
            handler.start()
    except KeyboardInterrupt:
        print('Server is stopped')
    finally:
        server.close()


if __name__ == '__main__':
    start_server()
