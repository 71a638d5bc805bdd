import random
import socket
import threading

PORT = 12345


def random_list_bytes():
    nums = [str(random.randrange(-999999999, 1000000000)) for i in range(250000)]
    return ','.join(nums).encode('utf-8')


def serve_client(client, addr):
    client.sendall(random_list_bytes())
    client.shutdown(socket.SHUT_WR)
    client.close()
    print('Sent a file to', addr)


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', PORT))
        server.listen(50)
        print('Listening on 0.0.0.0:' + str(PORT))
        while True:
            client, addr = server.accept()
            threading.Thread(target=serve_client, args=(client, addr)).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Server stopped.')
