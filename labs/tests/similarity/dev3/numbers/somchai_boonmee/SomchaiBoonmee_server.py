import random
import socket
from threading import Thread

ADDRESS = '0.0.0.0'
PORT = 12345


def random_list(length=250000):
    return [random.randrange(-999999999, 1000000000) for _ in range(length)]


def send_list(connection, address):
    text = ','.join(str(x) for x in random_list())
    with connection:
        connection.sendall(bytes(text, 'ascii'))
    print(f"Sent a file to {address}")


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((ADDRESS, PORT))
        server.listen()
        print(f"Listening on {ADDRESS}:{PORT}")
        while True:
            try:
                connection, address = server.accept()
            except KeyboardInterrupt:
                print("Bye")
                return
            Thread(target=send_list, args=(connection, address)).start()


if __name__ == "__main__":
    main()
