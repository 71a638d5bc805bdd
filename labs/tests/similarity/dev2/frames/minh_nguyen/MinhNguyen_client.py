"""Frames client, restructured into a class.

Minh Nguyen - week 2 lab.
"""
from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from multiprocessing import Pool
from pathlib import Path

from PIL import Image

SERVER_URL = '127.0.0.1:1234'
FILE_NAME = 'MinhNguyen.gif'
CLIENT_BUFFER = 1024
FRAME_COUNT = 5000
FRAMES_DIR = Path('frames')
MAX_RETRIES = 3


def timed(func):
    """Make a method return how many seconds it took instead of its result."""
    def wrapper(*args, **kwargs):
        started = time.time()
        func(*args, **kwargs)
        return time.time() - started
    return wrapper


def fetch_bytes(host: str, port: int) -> bytes:
    with socket.create_connection((host, port)) as s:
        chunks = []
        while True:
            packet = s.recv(CLIENT_BUFFER)
            if not packet:
                break
            chunks.append(packet)
    return b''.join(chunks)


def load_rgba(path: Path) -> Image.Image:
    with Image.open(path) as img:
        return img.convert('RGBA')


class FrameClient:
    def __init__(self, url: str = SERVER_URL, threads: int = 50):
        host, port = url.split(':')
        self.host = host
        self.port = int(port)
        self.threads = threads

    def frame_path(self, index: int) -> Path:
        return FRAMES_DIR / f'{index}.png'

    def receive_frame(self, index: int) -> int:
        for attempt in range(1, MAX_RETRIES + 1):
            try:
                data = fetch_bytes(self.host, self.port)
                break
            except ConnectionError:
                if attempt == MAX_RETRIES:
                    raise
                time.sleep(0.05 * attempt)
        self.frame_path(index).write_bytes(data)
        return index

    @timed
    def download_frames(self) -> None:
        FRAMES_DIR.mkdir(exist_ok=True)
        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            futures = {pool.submit(self.receive_frame, i): i for i in range(FRAME_COUNT)}
            for future in as_completed(futures):
                exc = future.exception()
                if exc is not None:
                    print(f'frame {futures[future]} failed: {exc}')

    @timed
    def create_gif(self) -> None:
        paths = [self.frame_path(i) for i in range(FRAME_COUNT)]
        with Pool(min(os.cpu_count() or 1, 4)) as pool:
            frames = pool.map(load_rgba, paths, chunksize=250)
        first, *rest = frames
        first.save(FILE_NAME, format='GIF', append_images=rest,
                   save_all=True, duration=500, loop=0)


def main() -> None:
    client = FrameClient()
    print(f'Frames download time: {client.download_frames()}')
    print(f'GIF creation time: {client.create_gif()}')


if __name__ == '__main__':
    main()
