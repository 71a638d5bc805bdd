import socket
import threading
import random
from io import BytesIO

from PIL import Image


def generate_image():
    image = Image.new("RGB", (10, 10), "black")
    for y in range(image.height):
        for x in range(image.width):
            color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
            image.putpixel((x, y), color)
    return image


def client_thread(connection, address):
    buffer = BytesIO()
    generate_image().save(buffer, "PNG")
    connection.sendall(buffer.getvalue())
    connection.close()
    print("Sent an image to", address)


def start_server(port):
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(("0.0.0.0", port))
    server_socket.listen(50)
    print(f"Listening on 0.0.0.0:{port}")
    while True:
        connection, address = server_socket.accept()
        thread = threading.Thread(target=client_thread, args=(connection, address))
        thread.start()


if __name__ == "__main__":
    port = int(input("Port: "))
    try:
        start_server(port)
    except KeyboardInterrupt:
        print("Server closed.")
