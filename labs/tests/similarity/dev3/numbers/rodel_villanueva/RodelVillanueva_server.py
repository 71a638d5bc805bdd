import random
import socket
import threading
import sys

IP_ADDR = "0.0.0.0"
PORT_NO = 12345
N_NUMBERS = 250000
MIN_N, MAX_N = -999999999, 999999999


def serve():
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((IP_ADDR, PORT_NO))
    lsock.listen(100)
    print(f"Listening on {IP_ADDR}:{PORT_NO}")
    count = 0
    try:
        while True:
            sock, who = lsock.accept()
            threading.Thread(target=on_client,
                             args=(sock, who)).start()
    except KeyboardInterrupt:
        print("Server stopped.")
    finally:
        lsock.close()


def on_client(sock, who):
    with sock:
        sock.sendall(numbers_bytes())
    print(f"Sent a file to {who}")


def log(msg):
    print("[server]", msg)


def numbers_bytes():
    vals = [random.randint(MIN_N, MAX_N)
            for _ in range(N_NUMBERS)]
    return ",".join(str(v) for v in vals).encode("ascii")


if __name__ == "__main__":
    serve()
