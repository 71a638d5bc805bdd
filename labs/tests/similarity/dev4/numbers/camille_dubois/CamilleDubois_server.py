import random
import socket
import threading

IP = '0.0.0.0'
PORT = 12345


def send_list(conn):
    addr = conn.getpeername()
    text = ','.join(str(random.randint(-999999999, 999999999)) for i in range(250000))
    conn.sendall(text.encode())
    conn.close()
    print(f'Sent a file to {addr}')


if __name__ == '__main__':
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((IP, PORT))
    server.listen(5)
    print(f'Listening on {IP}:{PORT}')
    try:
        while True:
            conn, addr = server.accept()
            threading.Thread(target=send_list, args=(conn,)).start()
    except KeyboardInterrupt:
        print('Server closed')
    finally:
        server.close()
