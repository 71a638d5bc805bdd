"""A client written the way the course's clientsocket.py works, for the interop tests.

Usage: course_client.py HOST PORT IMAGE [--nack-first]
Sends IMAGE to a recognition worker and prints the worker's result data on one line.
With --nack-first, the first result packet is answered with a NACK (the worker must resend).
"""
import base64
import socket
import sys


def checksum(data):
    total = 0
    for byte in data.encode():
        total = (total + byte) & 0xFFF
    return ~total


def packet(data):
    return "D %s %05d" % (data, checksum(data))


def recv_data(sock):
    # Read until the text is a complete data packet whose checksum matches.
    text = ""
    while True:
        chunk = sock.recv(1024)
        if not chunk:
            raise SystemExit("worker closed the connection early")
        text += chunk.decode()
        if text.startswith("D ") and len(text) >= 8 and text[-6] == " ":
            data, check = text[2:-6], text[-5:]
            if int(check) == checksum(data):
                return data


def send_acked(sock, message):
    while True:
        sock.sendall(message.encode())
        answer = sock.recv(1)
        if answer == b"A":
            return
        if answer != b"N":
            raise SystemExit("unexpected answer %r" % answer)


def main():
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    nack_first = "--nack-first" in sys.argv
    with open(path, "rb") as f:
        image = base64.b64encode(f.read()).decode()
    sock = socket.create_connection((host, port), timeout=120)
    send_acked(sock, packet(str(len(image))))
    send_acked(sock, packet(image))
    result = recv_data(sock)
    if nack_first:
        sock.sendall(b"N")
        again = recv_data(sock)
        assert again == result, (again, result)
    sock.sendall(b"A")
    sock.close()
    print(result)


main()
