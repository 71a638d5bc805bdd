"""A multiprocessing UDP server in the slides' style, for interop tests.

    python3 pid_server.py            # a new Process per request, started then joined
    python3 pid_server.py --pool N   # Pool(N).apply_async per request

Binds 127.0.0.1 on a free port and prints the port as its first line. Every request is
answered from the server socket by another process with
'Hi <ip>:<port>. This is server <its pid>'. Exits when stdin closes, so it never outlives
the test that started it.
"""
import multiprocessing
import os
import socket
import sys
import threading


def send_message(server_socket, client_address):
    message = 'Hi ' + client_address[0] + ':' + str(client_address[1]) + '. This is server ' + str(os.getpid())
    server_socket.sendto(str.encode(message), client_address)


class Server(multiprocessing.Process):
    def __init__(self, server_socket, client_address):
        super().__init__()
        self.server_socket = server_socket
        self.client_address = client_address

    def run(self):
        send_message(self.server_socket, self.client_address)


def exit_on_stdin_eof():
    # os.read, not sys.stdin.read: a thread blocked in sys.stdin holds its lock, and a forked
    # multiprocessing child, which closes sys.stdin first thing, would wait for it forever.
    while os.read(0, 1024):
        pass
    os._exit(0)


def main():
    pool_size = int(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == '--pool' else None
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server_socket.bind(('127.0.0.1', 0))
    # The pool forks here, after bind: its workers inherit the socket, as the slides' do.
    pool = multiprocessing.Pool(pool_size) if pool_size else None
    print(server_socket.getsockname()[1], flush=True)
    threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    while True:
        data, address = server_socket.recvfrom(1024)
        print('Received message {!r} at {}:{}'.format(data.decode(), address[0], address[1]), flush=True)
        if pool:
            pool.apply_async(send_message, args=(server_socket, address))
        else:
            p = Server(server_socket, address)
            p.start()
            p.join()


if __name__ == '__main__':
    main()
