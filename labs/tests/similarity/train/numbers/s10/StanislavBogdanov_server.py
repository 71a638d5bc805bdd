import random
import socket
import threading

HOW_MANY = 250000
RANGE = range(-999999999, 1000000000)


class Sender(threading.Thread):
    def __init__(self, sock, peer):
        threading.Thread.__init__(self)
        self.sock = sock
        self.peer = peer

    def run(self):
        payload = ",".join([str(v) for v in random.choices(RANGE, k=HOW_MANY)])
        self.sock.sendall(payload.encode())
        self.sock.close()
        print(f"Sent a file to {self.peer}")


def serve():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", 12345))
    listener.listen()
    print("Listening on 0.0.0.0:12345")
    while True:
        try:
            sock, peer = listener.accept()
        except KeyboardInterrupt:
            break
        Sender(sock, peer).start()
    listener.close()
    print("Server closed")


if __name__ == "__main__":
    serve()
