import random
import socketserver

ADDR_IP, ADDR_PORT = "0.0.0.0", 12345
N_VALUES = 250000


class MyTCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True


class SendNumbers(socketserver.BaseRequestHandler):
    def handle(self):
        line = ",".join(str(v) for v in number_stream(N_VALUES))
        self.request.sendall(line.encode())
        print(f"Sent a file to {self.client_address}")


def number_stream(total):
    # lazily produce the random values
    for _ in range(total):
        yield random.randint(-999999999, 999999999)


if __name__ == "__main__":
    with MyTCPServer((ADDR_IP, ADDR_PORT), SendNumbers) as srv:
        print(f"Listening on {ADDR_IP}:{ADDR_PORT}")
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            print("Server stopped")
