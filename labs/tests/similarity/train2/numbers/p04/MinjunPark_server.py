import random
import socket
import threading

SERVER_HOST = '0.0.0.0'
SERVER_PORT = 12345
LIST_SIZE = 250000

served = 0
served_lock = threading.Lock()


class Sender(threading.Thread):
    def __init__(self, client_socket, client_address):
        threading.Thread.__init__(self)
        self.client_socket = client_socket
        self.client_address = client_address

    def make_list(self):
        result = []
        i = 0
        while i < LIST_SIZE:
            result.append(random.randint(-999999999, 999999999))
            i += 1
        return result

    def run(self):
        global served
        text = ','.join([str(n) for n in self.make_list()])
        self.client_socket.sendall(text.encode())
        self.client_socket.close()
        with served_lock:
            served += 1
        print(f'Sent a file to {self.client_address}')


server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server_socket.bind((SERVER_HOST, SERVER_PORT))
server_socket.listen(20)
print(f'Listening on {SERVER_HOST}:{SERVER_PORT}')

try:
    while True:
        client_socket, client_address = server_socket.accept()
        Sender(client_socket, client_address).start()
except KeyboardInterrupt:
    print(f'\nStopped after {served} lists')
server_socket.close()
