"""A stub recognition worker in the course's style (one thread per connection), answering
fixed labels, for testing the gateway against a Python worker.

Usage: stub_worker.py   (prints its port, then serves until stdin closes)
"""
import os
import socket
import sys
import threading

LABELS = "espresso:0.882000,cup:0.060000,eggnog:0.030000,coffee mug:0.020000,chocolate sauce:0.008000"


def checksum(data):
    total = 0
    for byte in data.encode():
        total = (total + byte) & 0xFFF
    return ~total


def packet(data):
    return "D %s %05d" % (data, checksum(data))


def valid(text):
    if not (text.startswith("D ") and len(text) >= 8 and text[-6] == " "):
        return None
    data, check = text[2:-6], text[-5:]
    try:
        return data if int(check) == checksum(data) else None
    except ValueError:
        return None


def recv_exactly(conn, count):
    buf = b""
    while len(buf) < count:
        chunk = conn.recv(min(65536, count - len(buf)))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf.decode()


def handle(conn):
    try:
        text = ""
        while valid(text) is None:
            chunk = conn.recv(1024)
            if not chunk:
                return
            text += chunk.decode()
        size = int(valid(text))
        conn.sendall(b"A")
        while True:
            image = valid(recv_exactly(conn, size + 8))
            if image is not None:
                break
            conn.sendall(b"N")
        conn.sendall(b"A")
        while True:
            conn.sendall(packet(LABELS).encode())
            if conn.recv(1) != b"N":
                break
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


main()
