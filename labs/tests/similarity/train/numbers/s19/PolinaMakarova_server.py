import random
import socket
import sys
import threading
import time


def send_numbers(conn, addr):
    with conn:
        conn.sendall(make_payload().encode())
    print(f"Sent a file to {addr}")


def main():
    port = 12345
    if len(sys.argv) == 2:
        port = int(sys.argv[1])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0", port))
        sock.listen()
        print(f"Listening on 0.0.0.0:{port}")
        started = time.time()
        try:
            while True:
                conn, addr = sock.accept()
                threading.Thread(target=send_numbers,
                                 args=(conn, addr)).start()
        except KeyboardInterrupt:
            print("Server stopped")


def make_payload(count=250000):
    payload = ""
    for i in range(count):
        if i > 0:
            payload += ","
        payload += str(random.randint(-999999999, 999999999))
    return payload


if __name__ == "__main__":
    main()
