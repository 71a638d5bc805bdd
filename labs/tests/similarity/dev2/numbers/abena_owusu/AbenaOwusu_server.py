import random
import socket
import threading

PORT = 12345
TOTAL = 250000


def random_list_bytes():
    parts = [str(random.randrange(-999999999, 1000000000)) for _ in range(TOTAL)]
    return ','.join(parts).encode('utf-8')


def respond(sock, where):
    try:
        sock.sendall(random_list_bytes())
        print(f'Sent a file to {where}')
    except (BrokenPipeError, ConnectionResetError):
        print(f'{where} went away before the list was sent')
    finally:
        sock.close()


def main():
    # create_server sets SO_REUSEADDR on Linux by itself
    with socket.create_server(('0.0.0.0', PORT), backlog=32) as server:
        print(f'Listening on 0.0.0.0:{PORT}')
        while True:
            sock, where = server.accept()
            threading.Thread(target=respond, args=(sock, where)).start()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print('done')
