import io
import random
import socket
import sys
import threading

from PIL import Image


def generate_picture():
    pic = Image.new('RGB', (10, 10))
    for k in range(100):
        rgb = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
        pic.putpixel((k % 10, k // 10), rgb)
    output = io.BytesIO()
    pic.save(output, format='PNG')
    return output.getvalue()


def serve(client_sock, client_addr):
    with client_sock:
        client_sock.sendall(generate_picture())
    print(f'Sent an image to {client_addr}')


def start_server(port_no):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('0.0.0.0', port_no))
        listener.listen()
        print(f'Listening on 0.0.0.0:{port_no}')
        while True:
            client_sock, client_addr = listener.accept()
            threading.Thread(target=serve, args=(client_sock, client_addr), daemon=True).start()


if __name__ == '__main__':
    port_no = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
    try:
        start_server(port_no)
    except KeyboardInterrupt:
        print('\nServer stopped')
