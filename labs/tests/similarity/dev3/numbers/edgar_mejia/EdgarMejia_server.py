# Server for the numbers lab
# Edgar Mejia
#
# Every client that connects gets 250000 random numbers separated by commas.
# Each client is served in its own thread, so many clients can download at
# the same time.

import random
import socket
import threading

HOW_MANY_NUMBERS = 250000
SMALLEST = -999999999
BIGGEST = 999999999


def build_message():
    # build the text one number at a time
    text = ''
    for i in range(HOW_MANY_NUMBERS):
        if i > 0:
            text += ','
        text += str(random.randint(SMALLEST, BIGGEST))
    return text


def attend_client(client_socket, client_address):
    # this runs in a new thread for every client
    message = build_message()
    client_socket.sendall(message.encode('utf-8'))
    client_socket.close()
    print('Sent a file to', client_address)


def main():
    port = int(input('Port number: '))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # SO_REUSEADDR lets me restart the server without waiting
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('0.0.0.0', port))
    server_socket.listen()
    print(f'Listening on 0.0.0.0:{port}')
    try:
        while True:
            # wait for the next client
            client_socket, client_address = server_socket.accept()
            thread = threading.Thread(target=attend_client,
                                      args=(client_socket, client_address))
            thread.start()
    except KeyboardInterrupt:
        # Ctrl-C stops the server
        print('Server stopped by the user')
    finally:
        server_socket.close()


if __name__ == '__main__':
    main()
