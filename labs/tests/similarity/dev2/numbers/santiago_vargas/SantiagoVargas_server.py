# ------------------------------------------------------------------
# Numbers lab - server
# Santiago Vargas
#
# For every client a new thread is started. The thread generates
# 250000 random numbers, sends them separated by commas and closes
# the connection.
# ------------------------------------------------------------------
import random
import socket
import threading

# address and port from the handout
HOST = '0.0.0.0'
PORT = 12345

# what we send
NUMBERS_PER_LIST = 250000
SMALLEST = -999999999
BIGGEST = 999999999


def generate_list():
    """Builds the text that is sent to one client."""
    numbers = []
    # one random number at a time
    for _ in range(NUMBERS_PER_LIST):
        numbers.append(str(random.randint(SMALLEST, BIGGEST)))
    # no spaces, no comma at the end
    return ','.join(numbers)


def handle_client(client, address):
    """Body of the thread that serves one client."""
    print(f'[thread] new client {address}')
    text = generate_list()
    # sendall keeps sending until everything is out
    client.sendall(text.encode())
    # closing the socket marks the end of the list for the client
    client.close()
    print(f'Sent a file to {address}')


def start_server():
    """Opens the socket and accepts clients forever."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # lets us restart the server without waiting for the port
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(50)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            client, address = server.accept()
            # one thread per client
            worker = threading.Thread(target=handle_client, args=(client, address))
            worker.start()
    except KeyboardInterrupt:
        # Ctrl-C stops the server
        print('Stopping the server ...')
    finally:
        server.close()


if __name__ == '__main__':
    start_server()
