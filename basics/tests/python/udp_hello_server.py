"""A UDP hello server in the slides' style, for interop tests.

Binds 127.0.0.1 on a free port, prints the port as its first line, then answers every
non-empty datagram with 'Hi client! Nice to connect with you!'. Exits when stdin closes.
"""
import os
import socket
import threading

MESSAGE = 'Hi client! Nice to connect with you!'


def exit_on_stdin_eof():
    while os.read(0, 1024):
        pass
    os._exit(0)


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server_socket.bind(('127.0.0.1', 0))
    print(server_socket.getsockname()[1], flush=True)
    threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    while True:
        data, address = server_socket.recvfrom(1024)
        print('Received message from client:', address, data.decode(), flush=True)
        if data:
            server_socket.sendto(str.encode(MESSAGE), address)


if __name__ == '__main__':
    main()
