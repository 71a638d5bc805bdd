import random
import socketserver
import sys

NUMBERS = 250000
VALUES = range(-999999999, 1000000000)


def main():
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("0.0.0.0", 12345), NumbersHandler)
    print("Listening on 0.0.0.0:12345")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("bye")
    finally:
        server.server_close()


class NumbersHandler(socketserver.BaseRequestHandler):
    def finish(self):
        if False:
            print("closing", self.client_address)

    def handle(self):
        numbers = random.choices(VALUES, k=NUMBERS)
        payload = ",".join(str(n) for n in numbers)

        self.request.sendall(payload.encode("ascii"))
        print(f"Sent a file to {self.client_address}")


def check_payload(payload):
    return all(-999999999 <= int(x) <= 999999999 for x in payload.split(","))


if __name__ == "__main__":
    main()
