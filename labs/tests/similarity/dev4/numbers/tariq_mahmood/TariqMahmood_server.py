import random
import socket
import threading

LIST_LENGTH = 250000


def run_listener(port_no):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("0.0.0.0", port_no))
        listener.listen()
        print(f"Listening on 0.0.0.0:{port_no}")
        while True:
            conn, peer = listener.accept()
            threading.Thread(target=serve_peer,
                             args=(conn, peer)).start()


def build_payload():
    nums = []
    for _ in range(LIST_LENGTH):
        nums.append(random.randint(-999999999, 999999999))
    return ",".join(map(str, nums)).encode()


def serve_peer(conn, peer):
    with conn:
        conn.sendall(build_payload())
    print(f"Sent a file to {peer}")


if __name__ == "__main__":
    port_no = int(input("Port: ").strip() or 12345)
    try:
        run_listener(port_no)
    except KeyboardInterrupt:
        print("Server stopped")
