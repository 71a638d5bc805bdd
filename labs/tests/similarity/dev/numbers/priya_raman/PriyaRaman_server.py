# Numbers lab - server
# Author: Priya Raman
#
# Every connection gets its own thread. The thread makes 250000 random
# integers, sends them as one comma separated string and closes the socket.
import random
import socket
import threading

# address and port from the handout
HOST = '0.0.0.0'
PORT = 12345
# how many numbers go into one list
NUMBERS_PER_LIST = 250000
# smallest and largest allowed value (both inclusive)
MIN_NUMBER = -999999999
MAX_NUMBER = 999999999


def make_list():
    # build the list of random numbers as strings
    numbers = []
    for _ in range(NUMBERS_PER_LIST):
        numbers.append(str(random.randint(MIN_NUMBER, MAX_NUMBER)))
    # join with commas only: no spaces and no trailing comma
    return ','.join(numbers)


def handle_client(conn, addr):
    # runs in a separate thread for every client
    try:
        conn.sendall(make_list().encode())
        print(f'Sent a file to {addr}')
    except OSError as error:
        # the client went away before we finished
        print(f'Could not send to {addr}: {error}')
    finally:
        # closing the socket tells the client that the list is complete
        conn.close()


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        # reuse the port right after a restart
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((HOST, PORT))
        server.listen()
        print(f'Listening on {HOST}:{PORT}')
        while True:
            conn, addr = server.accept()
            # daemon threads do not keep the program alive after Ctrl-C
            thread = threading.Thread(target=handle_client, args=(conn, addr), daemon=True)
            thread.start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('Server stopped with Ctrl-C')
