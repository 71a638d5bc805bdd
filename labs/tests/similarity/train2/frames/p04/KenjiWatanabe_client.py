import os
import socket
import threading
import time
import multiprocessing as mp

from PIL import Image

ADDR = "127.0.0.1:1234"
GIF_NAME = "KenjiWatanabe.gif"
BUF_SIZE = 1024
FRAME_COUNT = 5000
PARALLEL = 25


def gif_part(frame_ids, out_q):
    # worker process: decode our share of the PNGs and hand back raw RGBA bytes
    for fid in frame_ids:
        pic = Image.open(f"frames/{fid}.png").convert("RGBA")
        out_q.put((fid, pic.size, pic.tobytes()))


def assemble_gif():
    t_begin = time.time()
    cores = mp.cpu_count()
    out_q = mp.Queue()
    procs = [mp.Process(target=gif_part, args=(range(c, FRAME_COUNT, cores), out_q))
             for c in range(cores)]
    for proc in procs:
        proc.start()
    pics = [None] * FRAME_COUNT
    for _ in range(FRAME_COUNT):
        fid, dims, pixels = out_q.get()
        pics[fid] = Image.frombytes("RGBA", dims, pixels)
    for proc in procs:
        proc.join()
    pics[0].save(GIF_NAME, format="GIF", append_images=pics[1:],
                 save_all=True, duration=500, loop=0)
    return time.time() - t_begin


gate = threading.BoundedSemaphore(PARALLEL)


def pull_frame(fid):
    with gate:
        host, port = ADDR.split(":")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((host, int(port)))
            blob = b""
            while True:
                chunk = conn.recv(BUF_SIZE)
                if not chunk:
                    break
                blob += chunk
    with open(f"frames/{fid}.png", "wb") as fh:
        fh.write(blob)


def pull_all():
    t_begin = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")
    workers = []
    for fid in range(FRAME_COUNT):
        workers.append(threading.Thread(target=pull_frame, args=(fid,)))
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.time() - t_begin


if __name__ == "__main__":
    print(f"Frames download time: {pull_all()}")
    print(f"GIF creation time: {assemble_gif()}")
