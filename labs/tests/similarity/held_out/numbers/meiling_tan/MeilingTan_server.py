import random
import socket
from threading import Thread

PORT = 12345


def random_numbers_text():
    numbers = map(lambda _: str(random.randint(-999999999, 999999999)), range(250000))
    return ','.join(numbers)


def send_numbers(sock, addr):
    sock.send(random_numbers_text().encode())
    sock.close()
    print(f'Sent a file to {addr}')


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('0.0.0.0', PORT))
server.listen()
print(f'Listening on 0.0.0.0:{PORT}')

while True:
    try:
        sock, addr = server.accept()
        Thread(target=send_numbers, args=(sock, addr)).start()
    except KeyboardInterrupt:
        break

server.close()
