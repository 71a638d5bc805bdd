import random
import socket
import threading

IP = '0.0.0.0'
PORT = 12345
LOW = -999999999
HIGH = 999999999
COUNT = 250000


def build_message():
    result = []
    for i in range(COUNT):
        result.append(str(random.randint(LOW, HIGH)))
    return ','.join(result)


def reply(client, address):
    message = build_message()
    client.sendall(message.encode('utf-8'))
    client.close()
    print(f'Sent a file to {address}')


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((IP, PORT))
    srv.listen()
    print(f'Listening on {IP}:{PORT}')
    while True:
        try:
            client, address = srv.accept()
            threading.Thread(target=reply, args=(client, address)).start()
        except KeyboardInterrupt:
            print('Closing the server')
            break
