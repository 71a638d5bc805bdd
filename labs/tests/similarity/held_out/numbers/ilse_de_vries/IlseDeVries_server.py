# Camila Restrepo - numbers server
# Sends 250000 random integers, separated by commas, to every client that
# connects. Every client gets its own thread.
import random
import socket
import threading

# '0.0.0.0' = listen on all the network interfaces
HOST = '0.0.0.0'
PORT = 12345
# how many numbers go in one list
NUMBERS_PER_LIST = 250000
# smallest and biggest number allowed (both included)
MIN_NUMBER = -999999999
MAX_NUMBER = 999999999


def generate_list():
    # make the random numbers
    numbers = []
    for _ in range(NUMBERS_PER_LIST):
        numbers.append(random.randint(MIN_NUMBER, MAX_NUMBER))
    # join them with commas, without spaces (the handout is strict about this)
    return ','.join(str(number) for number in numbers)


def send_list(connection, address):
    # runs in a new thread for every client
    text = generate_list()
    # sendall, because send() might not send everything at once
    connection.sendall(text.encode())
    # closing the connection is how the client knows the list is over
    connection.close()
    print(f'Sent a file to {address}')


def run_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # SO_REUSEADDR before bind, so the port is free again right after a restart
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            # accept() waits until a client connects
            connection, address = server.accept()
            # one new thread per client, then straight back to accept()
            client_thread = threading.Thread(target=send_list, args=(connection, address))
            client_thread.start()
    except KeyboardInterrupt:
        # Ctrl-C
        print('Server stopped')
    finally:
        server.close()


if __name__ == '__main__':
    run_server()
