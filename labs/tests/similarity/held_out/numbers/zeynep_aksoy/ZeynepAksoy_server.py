import random
import socket
import threading

PORT = 12345
HOW_MANY = 250000


def make_list():
    nums = [random.randint(-999999999, 999999999) for i in range(HOW_MANY)]
    return ','.join([str(n) for n in nums])


def respond(client, address):
    text = make_list()
    client.sendall(text.encode())
    client.close()
    print(f"Sent a file to {address}")


def main():
    # create_server sets SO_REUSEADDR by itself on Linux
    server = socket.create_server(('0.0.0.0', PORT), backlog=20)
    print(f"Listening on 0.0.0.0:{PORT}")
    while True:
        try:
            client, address = server.accept()
        except KeyboardInterrupt:
            break
        threading.Thread(target=respond, args=(client, address)).start()
    server.close()
    print("Server closed")


if __name__ == "__main__":
    main()
