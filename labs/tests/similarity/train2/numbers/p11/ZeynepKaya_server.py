"""Numbers lab server - Zeynep Kaya.

Sends 250000 random integers (comma separated, no spaces) to every client,
each client is served in its own thread.
"""
import random
import socket
import threading

HOST = '0.0.0.0'
DEFAULT_PORT = 12345
NUMBERS_PER_LIST = 250000
MIN_VALUE = -999999999
MAX_VALUE = 999999999


def build_list():
    # draw the numbers and join them into one string: "12,-5,7,..."
    numbers = []
    for _ in range(NUMBERS_PER_LIST):
        numbers.append(str(random.randint(MIN_VALUE, MAX_VALUE)))
    return ','.join(numbers)


def handle_client(connection, address):
    # runs in a separate thread for every client
    try:
        connection.sendall(build_list().encode('ascii'))
        print(f'Sent a file to {address}')
    except OSError as error:
        print(f'Failed to send to {address}: {error}')
    finally:
        # closing the connection tells the client that the list is complete
        connection.close()


def ask_port():
    # the port is typed in by the user, empty input means the default one
    text = input(f'Port (default {DEFAULT_PORT}): ').strip()
    if not text:
        return DEFAULT_PORT
    return int(text)


def main():
    port = ask_port()
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # SO_REUSEADDR before bind, so a restarted server gets the port back at once
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind((HOST, port))
    server_socket.listen()
    print(f'Listening on {HOST}:{port}')
    try:
        while True:
            connection, address = server_socket.accept()
            # new thread for every connection
            threading.Thread(target=handle_client, args=(connection, address)).start()
    except KeyboardInterrupt:
        print('\nServer stopped (Ctrl-C)')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
