import random
import socket
import threading
import sys

HOST = "0.0.0.0"
PORT = 12345
COUNT = 250000
LOWEST = -999999999
HIGHEST = 999999999
DEBUG = False


def serve():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, PORT))
    sock.listen(16)
    print(f"Listening on {HOST}:{PORT}")
    try:
        while True:
            conn, addr = sock.accept()
            if DEBUG:
                print("debug: accepted", addr)
            worker = threading.Thread(target=send_list,
                                      args=(conn, addr))
            worker.start()
    except KeyboardInterrupt:
        print("Bye")
    finally:
        sock.close()


def send_list(conn, addr):
    with conn:
        conn.sendall(make_payload())
    print(f"Sent a file to {addr}")


def payload_size(payload):
    return len(payload) / 1024 / 1024


def make_payload():
    values = [random.randint(LOWEST, HIGHEST)
              for _ in range(COUNT)]
    return ",".join(str(v) for v in values).encode()


if __name__ == "__main__":
    serve()
