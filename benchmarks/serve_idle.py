#!/usr/bin/env python3
"""Opens IDLE keep-alive connections to a running `quire serve` (each sends one request, reads the
answer and then stays open, as a browser's idle tabs do), then times NEW requests on fresh
connections while the idle ones are held. Prints the delay of each new request and the worst.

usage: benchmarks/serve_idle.py PORT [--idle 200] [--tries 10] [--path /api/search?q=peace]
Exit code 1 when the worst delay exceeds --max-ms (default 50).
"""

import argparse
import socket
import sys
import time


def ask(sock, path):
    sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n" % path).encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        body += sock.recv(65536)
    return head.split(b" ")[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--idle", type=int, default=200)
    ap.add_argument("--tries", type=int, default=10)
    ap.add_argument("--path", default="/api/search?q=peace&limit=3")
    ap.add_argument("--max-ms", type=float, default=50)
    args = ap.parse_args()
    idle = []
    t0 = time.perf_counter()
    for _ in range(args.idle):
        s = socket.create_connection(("127.0.0.1", args.port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(30)
        ask(s, args.path)
        idle.append(s)
    opened = time.perf_counter() - t0
    delays = []
    for _ in range(args.tries):
        start = time.perf_counter()
        with socket.create_connection(("127.0.0.1", args.port)) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.settimeout(60)
            status = ask(s, args.path)
        delays.append((time.perf_counter() - start) * 1000)
        if status != b"200":
            print("new request answered", status.decode(), file=sys.stderr)
            return 2
        time.sleep(0.05)
    for s in idle:
        s.close()
    delays.sort()
    print("idle=%d opened_in_s=%.2f new_request_ms median=%.1f worst=%.1f all=%s" %
          (args.idle, opened, delays[len(delays) // 2], delays[-1], " ".join("%.1f" % d for d in delays)))
    return 0 if delays[-1] <= args.max_ms else 1


if __name__ == "__main__":
    sys.exit(main())
