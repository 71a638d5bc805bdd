import random
import socket
import threading


def generate():
    result = []
    while len(result) < 250000:
        result.append(random.randint(-999999999, 999999999))
    return ','.join([str(number) for number in result])


def client_thread(client, address):
    data = generate()
    client.sendall(data.encode())
    client.close()
    print(f'Sent a file to {address}')


def start(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('0.0.0.0', port))
    server.listen(50)
    print(f'Listening on 0.0.0.0:{port}')
    while True:
        try:
            client, address = server.accept()
        except KeyboardInterrupt:
            server.close()
            print('Goodbye')
            break
        t = threading.Thread(target=client_thread, args=(client, address))
        t.start()


if __name__ == '__main__':
    start(int(input('Enter port: ')))
