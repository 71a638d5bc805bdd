# Eero Virtanen - numbers server, one thread per client
import random
import socket
import threading
import time

BIND_HOST = "0.0.0.0"
BIND_PORT = 12345
LENGTH = 250000
MIN_N = -999999999
MAX_N = 999999999
clients_served = 0


def serve():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((BIND_HOST, BIND_PORT))
    listener.listen()
    print(f"Listening on {BIND_HOST}:{BIND_PORT}")
    try:
        while True:
            sock, peer = listener.accept()
            threading.Thread(target=on_client,
                             args=(sock, peer)).start()
    except KeyboardInterrupt:
        print("Stopped")
    finally:
        listener.close()


def on_client(sock, peer):
    start = time.time()
    sock.sendall(random_csv().encode())
    sock.close()
    print(f"Sent a file to {peer}")


def random_csv():
    values = [random.randint(MIN_N, MAX_N) for _ in range(LENGTH)]
    return ",".join(str(v) for v in values)


def timestamp():
    return time.strftime("%H:%M:%S")


if __name__ == "__main__":
    serve()
