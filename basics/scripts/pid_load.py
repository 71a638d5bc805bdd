"""Load generator for pid-server: how many greetings per second it answers.

    python3 basics/scripts/pid_load.py [--server 127.0.0.1:10002] [--requests 2000] [--clients 8]

Each of --clients threads owns a UDP socket and sends one greeting at a time, waiting for
its answer (2 s timeout, counted as lost) before the next. Prints answers per second, the
median and 99th percentile latency, lost requests and how many distinct server processes
answered.
"""
import argparse
import os
import socket
import statistics
import threading
import time


def client(server, count, latencies, pids, lost, lock):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    message = ('Hi from %d' % os.getpid()).encode()
    for _ in range(count):
        start = time.perf_counter()
        sock.sendto(message, server)
        try:
            data, _ = sock.recvfrom(1024)
        except socket.timeout:
            with lock:
                lost[0] += 1
            continue
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            pids.add(data.decode().rsplit(' ', 1)[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--server', default='127.0.0.1:10002')
    parser.add_argument('--requests', type=int, default=2000)
    parser.add_argument('--clients', type=int, default=8)
    args = parser.parse_args()
    host, port = args.server.rsplit(':', 1)
    server = (host, int(port))
    latencies, pids, lost, lock = [], set(), [0], threading.Lock()
    per_client = args.requests // args.clients
    threads = [threading.Thread(target=client, args=(server, per_client, latencies, pids, lost, lock))
               for _ in range(args.clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float('nan')
    print('%d answers in %.2f s: %.0f answers/s, median %.2f ms, p99 %.2f ms, %d lost, %d server processes'
          % (len(latencies), elapsed, len(latencies) / elapsed,
             statistics.median(latencies) * 1e3 if latencies else float('nan'), p99 * 1e3,
             lost[0], len(pids)))


if __name__ == '__main__':
    main()
