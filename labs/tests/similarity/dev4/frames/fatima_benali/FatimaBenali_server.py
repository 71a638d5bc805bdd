import io
import random
import socket
import threading

from PIL import Image


def handle_connection(sock, peer):
    with sock:
        sock.sendall(png_frame())
    print(f"Sent an image to {peer}")


def png_frame():
    rgb = [(random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
           for _ in range(100)]
    picture = Image.new("RGB", (10, 10))
    picture.putdata(rgb)
    with io.BytesIO() as mem:
        picture.save(mem, format="PNG")
        return mem.getvalue()


def start_listening(port_no):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("0.0.0.0", port_no))
        listener.listen()
        print(f"Listening on 0.0.0.0:{port_no}")
        while True:
            sock, peer = listener.accept()
            t = threading.Thread(target=handle_connection,
                                 args=(sock, peer),
                                 daemon=True)
            t.start()


if __name__ == "__main__":
    port_no = int(input("Port: "))
    try:
        start_listening(port_no)
    except KeyboardInterrupt:
        print("Bye")
