import random
import socket
import threading


def build_numbers(count=250000):
    text = str(random.randint(-999999999, 999999999))
    for _ in range(count - 1):
        text += ',' + str(random.randint(-999999999, 999999999))
    return text


def client_handler(connection, address):
    data = build_numbers()
    connection.sendall(bytes(data, 'utf-8'))
    connection.close()
    print("Sent a file to", address)


def main():
    port = int(input("Enter port: "))
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(10)
    print(f"Listening on 0.0.0.0:{port}")
    try:
        while True:
            connection, address = s.accept()
            t = threading.Thread(target=client_handler, args=(connection, address))
            t.start()
    except KeyboardInterrupt:
        print("Closing server")
        s.close()


main()
