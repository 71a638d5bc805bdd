"""Multiprocessing UDP clients in the slides' style, for interop tests.

    python3 pid_clients.py HOST PORT N

Starts N client processes at once; each sends 'Hi from <its pid> at HOST:PORT' and prints
'Client <its pid>: Received message: <answer>'. Waits for all of them (unlike the slides'
`p.join` without parentheses) and exits non-zero if any got no answer within 5 s.
"""
import multiprocessing
import os
import socket
import sys


def send_message(server_address, server_port):
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_socket.settimeout(5)
    try:
        message = 'Hi from ' + str(os.getpid()) + ' at ' + server_address + ':' + str(server_port)
        client_socket.sendto(str.encode(message), (server_address, server_port))
        data, _ = client_socket.recvfrom(1024)
        # One write(2) per line: the clients share one pipe, and print() may write the
        # text and its newline separately, so two clients' lines could interleave.
        line = 'Client {}: Received message: {}\n'.format(os.getpid(), data.decode())
        os.write(1, line.encode())
    finally:
        client_socket.close()


def main():
    server_address, server_port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    processes = [multiprocessing.Process(target=send_message, args=(server_address, server_port))
                 for _ in range(count)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    sys.exit(0 if all(p.exitcode == 0 for p in processes) else 1)


if __name__ == '__main__':
    main()
