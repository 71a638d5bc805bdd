import os, socket, threading, time
from multiprocessing import Pool
from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'KirillVasiliev.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
N = 50


def receive_frame(i):
    ip, port = SERVER_URL.split(':')
    with socket.create_connection((ip, int(port))) as s:
        chunks = []
        while p := s.recv(CLIENT_BUFFER):
            chunks.append(p)
    with open(f'frames/{i}.png', 'wb') as f:
        f.write(b''.join(chunks))


def download_frames():
    t = time.time()
    os.makedirs('frames', exist_ok=True)
    ts = [threading.Thread(target=lambda k=k: [receive_frame(i) for i in range(k, FRAME_COUNT, N)])
          for k in range(N)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    return time.time() - t


def load(i):
    return Image.open(f'frames/{i}.png').convert('RGBA')


def create_gif():
    t = time.time()
    with Pool() as p:
        fr = p.map(load, range(FRAME_COUNT))
    fr[0].save(FILE_NAME, format='GIF', append_images=fr[1:], save_all=True, duration=500, loop=0)
    return time.time() - t


if __name__ == '__main__':
    print(f'Frames download time: {download_frames()}')
    print(f'GIF creation time: {create_gif()}')
