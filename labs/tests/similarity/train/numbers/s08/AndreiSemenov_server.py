import random
import socket
import threading

NUMBERS_IN_LIST = 250000


def numbers_text():
    sample = random.sample(range(-999999999, 1000000000), NUMBERS_IN_LIST)
    return ','.join(map(str, sample))


def send_list(connection, address):
    connection.sendall(numbers_text().encode())
    connection.close()
    print(f'Sent a file to {address}')


def main():
    port = int(input('Port to listen on: '))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', port))
    listener.listen(20)
    print(f'Listening on 0.0.0.0:{port}')
    try:
        while True:
            connection, address = listener.accept()
            worker = threading.Thread(target=send_list, args=(connection, address))
            worker.daemon = True
            worker.start()
    except KeyboardInterrupt:
        print('Server stopped')
    listener.close()


if __name__ == '__main__':
    main()
