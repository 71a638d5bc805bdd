import socket
import threading
import random

NUMBERS = 250000


def generate():
    numbers = random.sample(range(-999999999, 1000000000), NUMBERS)
    return ",".join([str(n) for n in numbers])


def client_handler(client_socket, client_address):
    message = generate()
    client_socket.sendall(message.encode())
    client_socket.close()
    print("Sent a file to", client_address)


def main():
    port = int(input("Enter port: "))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(("0.0.0.0", port))
    server_socket.listen(5)
    print("Listening on 0.0.0.0:" + str(port))
    while True:
        try:
            client_socket, client_address = server_socket.accept()
        except KeyboardInterrupt:
            print("Closing server")
            break
        t = threading.Thread(target=client_handler, args=(client_socket, client_address))
        t.start()
    server_socket.close()


if __name__ == "__main__":
    main()
