"""A UDP hello client in the slides' style, for interop tests.

    python3 udp_hello_client.py HOST PORT

Sends 'Hi server!', prints 'Received message from server: <answer>'; fails if no answer
comes within 5 s (the slides' client would wait forever).
"""
import socket
import sys


def main():
    server_address, server_port = sys.argv[1], int(sys.argv[2])
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_socket.settimeout(5)
    try:
        client_socket.sendto('Hi server!'.encode(), (server_address, server_port))
        data, server = client_socket.recvfrom(4096)
        print('Received message from server:', data.decode(), flush=True)
    finally:
        client_socket.close()


if __name__ == '__main__':
    main()
