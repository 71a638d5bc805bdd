import random
import socket
import sys
import threading

LIMIT = 999999999
N = 250000


def numbers_text():
    return ','.join([str(random.randint(-LIMIT, LIMIT)) for _ in range(N)])


def client_job(client, address):
    client.sendall(numbers_text().encode())
    client.shutdown(socket.SHUT_WR)
    client.close()
    print('Sent a file to', address)


def run_server(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('0.0.0.0', port))
    sock.listen(16)
    print('Listening on 0.0.0.0:%d' % port)
    try:
        while True:
            client, address = sock.accept()
            threading.Thread(target=client_job, args=(client, address)).start()
    except KeyboardInterrupt:
        print('Server stopped by user')
    sock.close()


if __name__ == '__main__':
    run_server(int(sys.argv[1]) if len(sys.argv) == 2 else 12345)
