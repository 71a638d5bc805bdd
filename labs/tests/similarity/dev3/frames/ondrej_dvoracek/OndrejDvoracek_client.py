import logging
import multiprocessing
import os
import shutil
import socket
import threading
import time

from PIL import Image

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s [%(threadName)s] %(message)s")
logger = logging.getLogger("client")

SRV = "127.0.0.1:1234"
GIF_FILE = "OndrejDvoracek.gif"
READ_SIZE = 1024
FRAME_COUNT = 5000
PARALLEL_LIMIT = 30
RETRIES = 3

gate = threading.Semaphore(PARALLEL_LIMIT)


def prepare(idx):
    return Image.open(f"frames/{idx}.png").convert("RGBA")


def assemble_gif():
    begin = time.time()
    n_proc = max(1, multiprocessing.cpu_count())
    logger.info("converting frames with %d processes", n_proc)
    with multiprocessing.Pool(n_proc) as pp:
        pics = list(pp.imap(prepare,
                            range(FRAME_COUNT),
                            chunksize=250))
    print("DEBUG frames in memory:", len(pics))
    pics[0].save(GIF_FILE, format="GIF",
                 append_images=pics[1:],
                 save_all=True, duration=500, loop=0)
    logger.info("saved %s", GIF_FILE)
    return time.time() - begin


def clear_frames():
    if os.path.isdir("frames"):
        shutil.rmtree("frames")


def download_everything():
    begin = time.time()
    if not os.path.exists("frames"):
        os.mkdir("frames")

    workers = []
    for idx in range(FRAME_COUNT):
        w = threading.Thread(target=download_one, args=(idx,))
        w.start()
        workers.append(w)
    print("DEBUG started", len(workers), "threads")

    for w in workers:
        w.join()
    logger.info("downloaded %d frames", FRAME_COUNT)
    return time.time() - begin


def download_one(idx):
    addr, port_text = SRV.split(":")
    attempts = 0
    with gate:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            conn.connect((addr, int(port_text)))
            content = b""
            while True:
                part = conn.recv(READ_SIZE)
                if not part:
                    break
                content += part
    with open(f"frames/{idx}.png", "wb") as fh:
        fh.write(content)
    if idx % 1000 == 0:
        logger.debug("frame %d saved", idx)


if __name__ == "__main__":
    print(f"Frames download time: {download_everything()}")
    print(f"GIF creation time: {assemble_gif()}")
