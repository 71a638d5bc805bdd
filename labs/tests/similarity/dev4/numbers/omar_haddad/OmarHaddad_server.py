import random
import socket
import threading


class NumberThread(threading.Thread):

    def __init__(self, client, address):
        threading.Thread.__init__(self)
        self.client = client
        self.address = address

    def run(self):
        parts = []
        for _ in range(250000):
            parts.append(str(random.randint(-999999999, 999999999)))
        message = ','.join(parts)
        self.client.sendall(message.encode())
        self.client.close()
        print('Sent a file to ' + str(self.address))


server = socket.socket()
server.bind(('0.0.0.0', 12345))
server.listen(10)
print('Listening on 0.0.0.0:12345')

while True:
    try:
        client, address = server.accept()
        NumberThread(client, address).start()
    except KeyboardInterrupt:
        print('Exit')
        break

server.close()
