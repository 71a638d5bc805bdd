"""Numbers lab server (Nikolai Pavlov).

Every client gets 250000 random integers separated by commas,
then the connection is closed. Each client is served in its own thread.
"""
import random
import socket
import threading

# all interfaces
HOST = '0.0.0.0'
# port from the handout
PORT = 12345
# how many numbers go into one list
AMOUNT = 250000
# the range of the numbers (both ends included)
MIN_NUMBER = -999999999
MAX_NUMBER = 999999999


def make_list():
    # random numbers as strings
    numbers = [str(random.randint(MIN_NUMBER, MAX_NUMBER)) for _ in range(AMOUNT)]
    # join them with commas (no spaces, no comma at the end)
    return ','.join(numbers)


def serve_client(conn, addr):
    # runs in a separate thread for every client
    try:
        conn.sendall(make_list().encode())
        print(f'Sent a file to {addr}')
    finally:
        # closing the connection tells the client the list is complete
        conn.close()


def main():
    # TCP socket
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # so that the port can be used again right after a restart
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            # wait for a client
            conn, addr = server.accept()
            # new thread for the client
            threading.Thread(target=serve_client, args=(conn, addr)).start()
    except KeyboardInterrupt:
        # Ctrl-C
        print('Server stopped')
    finally:
        server.close()


if __name__ == '__main__':
    main()
