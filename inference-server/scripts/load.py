"""Load generator for the inference server: requests per second and latency.

Usage: load.py HOST PORT CONCURRENCY REQUESTS URL [URL ...]

CONCURRENCY threads each connect, send a URL (cycling through the list) followed by
[END], read the reply to EOF, and repeat, until REQUESTS requests are done in all. Prints
throughput and the median and 90th-percentile latency; fails if any reply is an error.
"""
import socket
import statistics
import sys
import threading
import time


def ask(host, port, url):
    with socket.create_connection((host, port)) as sock:
        sock.sendall(url.encode() + b"[END]")
        reply = b""
        while chunk := sock.recv(1024):
            reply += chunk
    return reply.decode()


def main():
    host, port, concurrency, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    urls = sys.argv[5:]
    latencies, errors, lock = [], [], threading.Lock()
    next_request = iter(range(total))

    def client():
        while True:
            with lock:
                number = next(next_request, None)
            if number is None:
                return
            start = time.perf_counter()
            reply = ask(host, port, urls[number % len(urls)])
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if reply.startswith("error"):
                    errors.append(reply)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    print(
        f"{total} requests, concurrency {concurrency}: {total / wall:.1f} req/s, "
        f"median {statistics.median(latencies) * 1e3:.1f} ms, "
        f"p90 {latencies[int(len(latencies) * 0.9)] * 1e3:.1f} ms"
    )
    if errors:
        sys.exit(f"{len(errors)} error replies, e.g. {errors[0]}")


if __name__ == "__main__":
    main()
