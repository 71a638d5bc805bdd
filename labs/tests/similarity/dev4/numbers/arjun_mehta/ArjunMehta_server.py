# Numbers server - Arjun Mehta
# Every client gets 250000 random integers separated by commas.
# Each connection is handled in its own thread.
import random
import socket
import threading

HOST = '0.0.0.0'     # listen on all interfaces
PORT = 12345
COUNT = 250000       # numbers per list
LOWEST = -999999999
HIGHEST = 999999999


def make_numbers():
    # random numbers -> strings -> one comma separated string
    numbers = [random.randint(LOWEST, HIGHEST) for _ in range(COUNT)]
    return ','.join(str(n) for n in numbers)


def handle_client(conn, addr):
    # this runs in a separate thread for every client
    conn.sendall(make_numbers().encode())
    conn.close()
    print(f'Sent a file to {addr}')


def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # allow restarting the server right away on the same port
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, PORT))
    server_socket.listen()
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = server_socket.accept()
            # start a new thread and go back to accept()
            threading.Thread(target=handle_client, args=(conn, addr)).start()
    except KeyboardInterrupt:
        print('Server stopped with Ctrl-C')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
