import random
import socket
import threading

PORT = 12345
HOW_MANY = 250000
MIN_VALUE = -999999999
MAX_VALUE = 999999999


def random_list():
    text = ','.join(str(random.randint(MIN_VALUE, MAX_VALUE)) for _ in range(HOW_MANY))
    return text.encode()


def client_handler(connection):
    peer = connection.getpeername()
    connection.sendall(random_list())
    connection.close()
    print('Sent a file to', peer)


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('0.0.0.0', PORT))
    server_socket.listen(32)
    print('Listening on 0.0.0.0:%d' % PORT)
    try:
        while True:
            connection, _ = server_socket.accept()
            threading.Thread(target=client_handler, args=(connection,)).start()
    except KeyboardInterrupt:
        print('Stopped')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
