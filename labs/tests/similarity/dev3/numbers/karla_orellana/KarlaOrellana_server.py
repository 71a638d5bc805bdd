import random
import socket
import threading

PORT = 12345
MAX_ABS = 999999999
HOW_MANY = 250000


def numbers_csv():
    gen = (random.randint(-MAX_ABS, MAX_ABS) for _ in range(HOW_MANY))
    return ','.join(map(str, gen))


def serve_client(conn, address):
    try:
        conn.sendall(numbers_csv().encode())
    except OSError as err:
        print('error with', address, err)
        return
    finally:
        conn.close()
    print('Sent a file to', address)


def main():
    # create_server already sets SO_REUSEADDR on Linux
    server = socket.create_server(('0.0.0.0', PORT), backlog=50)
    print(f'Listening on 0.0.0.0:{PORT}')
    with server:
        while True:
            try:
                conn, address = server.accept()
            except KeyboardInterrupt:
                print('Server closed')
                break
            threading.Thread(target=serve_client, args=(conn, address)).start()


if __name__ == '__main__':
    main()
