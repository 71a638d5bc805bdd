import io
import random
import socket
import threading

from PIL import Image

IP = '0.0.0.0'
PORT = 1234


def new_png():
    colors = []
    for _ in range(10 * 10):
        colors.append((random.randint(0, 255), random.randint(0, 255), random.randint(0, 255)))
    img = Image.new('RGB', (10, 10))
    img.putdata(colors)
    data = io.BytesIO()
    img.save(data, 'PNG')
    return data.getvalue()


def on_client(client, addr):
    png = new_png()
    client.sendall(png)
    client.close()
    print(f'Sent an image to {addr}')


if __name__ == '__main__':
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((IP, PORT))
    server.listen(20)
    print(f'Listening on {IP}:{PORT}')
    while True:
        try:
            client, addr = server.accept()
            threading.Thread(target=on_client, args=(client, addr)).start()
        except KeyboardInterrupt:
            server.close()
            print('server closed')
            break
