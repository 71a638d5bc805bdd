import random
import socket
import threading

PORT = 12345


def get_numbers():
    nums = []
    for _ in range(250000):
        nums.append(random.randint(-999999999, 999999999))
    return nums


def handle_connection(sock, addr):
    line = ','.join(map(str, get_numbers()))
    sock.sendall(line.encode())
    sock.close()
    print('Sent a file to ' + str(addr))


def main():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(('0.0.0.0', PORT))
        sock.listen(50)
        print('Listening on 0.0.0.0:' + str(PORT))
        try:
            while True:
                conn, addr = sock.accept()
                t = threading.Thread(target=handle_connection, args=(conn, addr))
                t.daemon = True
                t.start()
        except KeyboardInterrupt:
            print('Stopping')


if __name__ == '__main__':
    main()
