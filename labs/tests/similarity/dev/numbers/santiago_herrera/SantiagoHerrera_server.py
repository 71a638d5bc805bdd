import random
import socket
import threading

PORT = 12345


def make_payload():
    return b','.join(str(random.randint(-999999999, 999999999)).encode()
                     for _ in range(250000))


def worker(sock, peer):
    sock.sendall(make_payload())
    sock.shutdown(socket.SHUT_WR)
    sock.close()
    print(f'Sent a file to {peer}')


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', PORT))
    listener.listen(32)
    print(f'Listening on 0.0.0.0:{PORT}')
    try:
        while True:
            sock, peer = listener.accept()
            threading.Thread(target=worker, args=(sock, peer)).start()
    except KeyboardInterrupt:
        print('exit')
    finally:
        listener.close()


if __name__ == '__main__':
    main()
