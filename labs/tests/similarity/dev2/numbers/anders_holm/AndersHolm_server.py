# Anders Holm - numbers server
import os
import random
import socket
import threading

IP_ADDR = "0.0.0.0"
PORT_NO = 12345

LIST_LEN = 250000
LO_VAL = -999999999
HI_VAL = 999999999
clients_served = 0


def run():
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((IP_ADDR, PORT_NO))
    lsock.listen(50)
    print(f"Listening on {IP_ADDR}:{PORT_NO}")
    try:
        while True:
            conn, peer = lsock.accept()
            th = threading.Thread(
                target=serve_one,
                args=(conn, peer),
            )
            th.start()
    except KeyboardInterrupt:
        print("Stopping the server ...")
    finally:
        lsock.close()


def check_payload(text):
    parts = text.split(",")
    return len(parts) == LIST_LEN and " " not in text


def serve_one(conn, peer):
    print(f"[thread] new client {peer}")
    msg = build_payload()
    conn.sendall(msg.encode())
    conn.close()
    print(f"Sent a file to {peer}")


def build_payload():
    items = []
    for _ in range(LIST_LEN):
        items.append(str(random.randint(LO_VAL, HI_VAL)))

    return ",".join(items)


if __name__ == "__main__":
    run()
