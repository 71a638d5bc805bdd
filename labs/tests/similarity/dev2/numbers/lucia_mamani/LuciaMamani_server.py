import random
import socket
import threading

HOST = '0.0.0.0'
PORT = 12345
COUNT = 250000
LOW, HIGH = -999999999, 999999999


def make_list():
    values = [random.randint(LOW, HIGH) for _ in range(COUNT)]
    return ','.join(map(str, values))


def attend_client(conn, addr):
    try:
        conn.sendall(make_list().encode())
    finally:
        conn.close()
    print(f'Sent a file to {addr}')


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST, PORT))
    srv.listen(20)
    print(f'Listening on {HOST}:{PORT}')
    try:
        while True:
            conn, addr = srv.accept()
            t = threading.Thread(target=attend_client, args=(conn, addr))
            t.start()
    except KeyboardInterrupt:
        print('Server closed')
    finally:
        srv.close()


if __name__ == '__main__':
    main()
