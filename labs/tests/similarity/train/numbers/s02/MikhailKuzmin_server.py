import random
import socket
import threading

PORT = 12345


def numbers_string():
    return ','.join([str(random.randrange(-999999999, 1000000000)) for i in range(250000)])


def worker(client, address):
    client.sendall(bytes(numbers_string(), 'utf-8'))
    client.close()
    print('Sent a file to', address)


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', PORT))
s.listen(5)
print('Listening on 0.0.0.0:' + str(PORT))

while True:
    try:
        client, address = s.accept()
        threading.Thread(target=worker, args=(client, address)).start()
    except KeyboardInterrupt:
        s.close()
        break
