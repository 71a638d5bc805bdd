import random
import socket
import threading

LOW = -999_999_999
HIGH = 999_999_999
SIZE = 250_000


def numbers_text(rng):
    return ','.join(str(rng.randrange(LOW, HIGH + 1)) for _ in range(SIZE))


def serve(conn, peer):
    rng = random.Random()
    try:
        conn.sendall(numbers_text(rng).encode('ascii'))
    except (BrokenPipeError, ConnectionResetError):
        print(f'{peer} went away')
        return
    finally:
        conn.close()
    print(f'Sent a file to {peer}')


def main(port=12345):
    srv = socket.create_server(('0.0.0.0', port), backlog=64)
    print(f'Listening on 0.0.0.0:{port}')
    with srv:
        while True:
            try:
                conn, peer = srv.accept()
            except KeyboardInterrupt:
                print('shutting down')
                return
            threading.Thread(target=serve, args=(conn, peer), daemon=True).start()


if __name__ == '__main__':
    main()
