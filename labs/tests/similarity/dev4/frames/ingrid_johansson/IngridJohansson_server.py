import io
import random
import socket
import threading

from PIL import Image


def build_frame():
    colours = []
    for _ in range(100):
        colours.append((random.randint(0, 255), random.randint(0, 255), random.randint(0, 255)))
    frame = Image.new('RGB', (10, 10))
    frame.putdata(colours)
    with io.BytesIO() as output:
        frame.save(output, format='PNG')
        return output.getvalue()


def serve_client(client, address):
    with client:
        client.sendall(build_frame())
    print(f'Sent an image to {address}')


def run(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('0.0.0.0', port))
        server.listen()
        print(f'Listening on 0.0.0.0:{port}')
        while True:
            client, address = server.accept()
            thread = threading.Thread(target=serve_client, args=(client, address), daemon=True)
            thread.start()


if __name__ == '__main__':
    port = int(input('Port: '))
    try:
        run(port)
    except KeyboardInterrupt:
        print('Server closed')
