"""Numbers client (refactored) - Hoang Tran."""
import argparse
import os
import socket
import sys
import threading
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool
from pathlib import Path

SERVER_URL = '127.0.0.1:12345'
CLIENT_BUFFER = 1024
UNSORTED_FILES_COUNT = 100

UNSORTED_DIR = Path('unsorted_files')
SORTED_DIR = Path('sorted_files')


def parse_numbers(text: str) -> list[int]:
    return [int(token) for token in text.split(',')]


def format_numbers(numbers: list[int]) -> str:
    return ','.join(map(str, numbers))


def sort_job(index: int) -> int:
    numbers = parse_numbers((UNSORTED_DIR / f'{index}.txt').read_text())
    numbers.sort()
    (SORTED_DIR / f'{index}.txt').write_text(format_numbers(numbers))
    return index


class NumbersClient:
    def __init__(self, url: str, count: int, threads: int, processes: int):
        host, port = url.rsplit(':', 1)
        self.address = (host, int(port))
        self.count = count
        self.threads = threads
        self.processes = processes
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def prepare(self) -> None:
        for folder in (UNSORTED_DIR, SORTED_DIR):
            folder.mkdir(exist_ok=True)

    def _receive(self) -> bytes:
        with socket.create_connection(self.address, timeout=30) as s:
            data = b''
            while True:
                packet = s.recv(CLIENT_BUFFER)
                if not packet:
                    return data
                data += packet

    def _download(self, index: int, attempts: int = 3) -> None:
        last = None
        for _ in range(attempts):
            try:
                data = self._receive()
            except OSError as exc:
                last = exc
                continue
            (UNSORTED_DIR / f'{index}.txt').write_bytes(data)
            return
        with self._lock:
            self.errors.append(f'list {index}: {last}')

    def download(self) -> float:
        started = time.time()
        with ThreadPool(self.threads) as pool:
            pending = [pool.apply_async(self._download, (i,)) for i in range(self.count)]
            for result in pending:
                result.get()
        return time.time() - started

    def sort(self) -> float:
        started = time.time()
        with Pool(self.processes) as pool:
            for _ in pool.imap(sort_job, range(self.count), chunksize=4):
                pass
        return time.time() - started


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--url', default=SERVER_URL)
    parser.add_argument('--threads', type=int, default=20)
    parser.add_argument('--processes', type=int, default=os.cpu_count() or 2)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    client = NumbersClient(args.url, UNSORTED_FILES_COUNT, args.threads,
                           min(args.processes, os.cpu_count() or 1))
    client.prepare()
    print(f'Files download time: {client.download()}')
    print(f'Sorting time: {client.sort()}')
    for error in client.errors:
        print(error, file=sys.stderr)
    return 1 if client.errors else 0


if __name__ == '__main__':
    sys.exit(main())
