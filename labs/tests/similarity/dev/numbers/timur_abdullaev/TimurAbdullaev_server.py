import random
import socket
import threading

PORT = 12345
COUNT = 250000
LOW = -999999999
HIGH = 999999999


def send_numbers(client, address):
    numbers = [str(random.randint(LOW, HIGH)) for _ in range(COUNT)]
    client.sendall(','.join(numbers).encode('ascii'))
    client.close()
    print(f'Sent a file to {address}')


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('0.0.0.0', PORT))
server.listen(100)
print(f'Listening on 0.0.0.0:{PORT}')

while True:
    try:
        client, address = server.accept()
    except KeyboardInterrupt:
        print('Server stopped')
        break
    threading.Thread(target=send_numbers, args=(client, address)).start()

server.close()
