import os
import socket
import threading
import time
from multiprocessing import Pool, cpu_count

from PIL import Image

HOST_AND_PORT = '127.0.0.1:1234'
OUTPUT_GIF = 'BogdanPetrescu.gif'
RECV_SIZE = 1024
TOTAL_FRAMES = 5000
NUM_WORKERS = 20


def fetch_image(idx):
    host, port_str = HOST_AND_PORT.split(':')
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
        conn.connect((host, int(port_str)))
        payload = b''
        while True:
            piece = conn.recv(RECV_SIZE)
            if not piece:
                break
            payload += piece
    with open(f'frames/{idx}.png', 'wb') as out:
        out.write(payload)


def fetch_range(lo, hi):
    for idx in range(lo, hi):
        fetch_image(idx)


def get_all_images():
    t0 = time.time()
    if not os.path.exists('frames'):
        os.mkdir('frames')
    per_thread = (TOTAL_FRAMES + NUM_WORKERS - 1) // NUM_WORKERS
    pool_threads = []
    for lo in range(0, TOTAL_FRAMES, per_thread):
        hi = min(lo + per_thread, TOTAL_FRAMES)
        th = threading.Thread(target=fetch_range, args=(lo, hi))
        th.start()
        pool_threads.append(th)
    for th in pool_threads:
        th.join()
    return time.time() - t0


def decode_image(idx):
    img = Image.open(f'frames/{idx}.png').convert('RGBA')
    return img.size, img.tobytes()


def assemble_animation():
    t0 = time.time()
    pictures = []
    with Pool(cpu_count()) as procs:
        for dims, blob in procs.imap(decode_image, range(TOTAL_FRAMES), chunksize=50):
            pictures.append(Image.frombytes('RGBA', dims, blob))
    pictures[0].save(OUTPUT_GIF, format='GIF', append_images=pictures[1:],
                     save_all=True, duration=500, loop=0)
    return time.time() - t0


if __name__ == '__main__':
    print(f'Frames download time: {get_all_images()}')
    print(f'GIF creation time: {assemble_animation()}')
