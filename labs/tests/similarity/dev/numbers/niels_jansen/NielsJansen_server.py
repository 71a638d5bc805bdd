import random
import socket
import threading

HOST = '0.0.0.0'


def numbers_text():
    sample = random.sample(range(-999999999, 1000000000), 250000)
    return ','.join(map(str, sample))


def client_handler(sock, address):
    sock.sendall(numbers_text().encode())
    sock.close()
    print('Sent a file to', address)


def main():
    port = int(input('Port: ') or 12345)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port))
    s.listen(5)
    print(f'Listening on {HOST}:{port}')
    try:
        while True:
            sock, address = s.accept()
            handler = threading.Thread(target=client_handler, args=(sock, address))
            handler.start()
    except KeyboardInterrupt:
        pass
    finally:
        s.close()
        print('Server closed')


if __name__ == '__main__':
    main()
