import random
import socket
import threading

BIND_HOST = "0.0.0.0"
BIND_PORT = 12345
SIZE = 250000
SMALLEST = -999999999
LARGEST = 999999999


def run():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((BIND_HOST, BIND_PORT))
    listener.listen(5)
    print(f"Listening on {BIND_HOST}:{BIND_PORT}")
    while True:
        conn, peer = listener.accept()
        threading.Thread(target=give_numbers, args=(conn, peer)).start()


def give_numbers(conn, peer):
    values = [random.randint(SMALLEST, LARGEST) for _ in range(SIZE)]
    text = ",".join(str(v) for v in values)
    conn.sendall(text.encode("ascii"))
    conn.close()
    print(f"Sent a file to {peer}")


if __name__ == "__main__":
    try:
        run()
    except KeyboardInterrupt:
        print("Server stopped")
