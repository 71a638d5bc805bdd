import random
import socket
import threading

SERVER_ADDRESS = ('0.0.0.0', 12345)
LIST_LENGTH = 250000


def random_integers(length):
    for _ in range(length):
        yield random.randint(-999999999, 999999999)


def respond(client, address):
    text = ','.join(map(str, random_integers(LIST_LENGTH)))
    client.sendall(text.encode())
    client.close()
    print(f'Sent a file to {address}')


def main():
    server = socket.socket()
    server.bind(SERVER_ADDRESS)
    server.listen()
    print('Listening on {}:{}'.format(*SERVER_ADDRESS))
    try:
        while True:
            client, address = server.accept()
            threading.Thread(target=respond, args=(client, address), daemon=True).start()
    except KeyboardInterrupt:
        print('Server shut down')
    finally:
        server.close()


main()
