"""The frames lab's given client, written the way the course hands it out.

Sequential: FRAME_COUNT connections one after another, each read
CLIENT_BUFFER bytes at a time into a growing bytes object and saved as
frames/<i>.png; then every frame is opened, converted to RGBA, and Pillow
writes the animated GIF. `labs grade` runs it as the baseline of the
runtime-improved item, and as a second client against the student's server.
An instructor can hand the grader the exact copy their students received
instead (`labs grade --given-client FILE`).
"""
import os
import socket
import time

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'NameSurname.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000


def receive_frame(index):
    ip, port = SERVER_URL.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((ip, int(port)))
        data = b''
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            data += packet
    with open(f'frames/{index}.png', 'wb') as f:
        f.write(data)


def download_frames():
    started = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    for index in range(FRAME_COUNT):
        receive_frame(index)
    return time.time() - started


def create_gif():
    started = time.time()
    frames = []
    for index in range(FRAME_COUNT):
        frames.append(Image.open(f'frames/{index}.png').convert('RGBA'))
    frames[0].save(FILE_NAME, format='GIF', append_images=frames[1:],
                   save_all=True, duration=500, loop=0)
    return time.time() - started


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
