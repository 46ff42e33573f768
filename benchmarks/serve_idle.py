#!/usr/bin/env python3
"""Times NEW requests on fresh connections to a running `quire serve`, first with no other connection
open (the baseline), then while IDLE keep-alive connections are held open (each sent one request,
read the answer and stays open, as a browser's idle tabs do). The delay is the difference: median
with idle connections minus median without, and the worst likewise.

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
    ap.add_argument("--path", default="/api/search?q=peace&limit=3", help="what the new requests ask")
    ap.add_argument("--idle-path", default="/api/token", help="what each idle connection asked before it went idle")
    ap.add_argument("--max-ms", type=float, default=50)
    args = ap.parse_args()
    def new_requests():
        out = []
        for _ in range(args.tries):
            start = time.perf_counter()
            with socket.create_connection(("127.0.0.1", args.port)) as s:
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                s.settimeout(60)
                status = ask(s, args.path)
            out.append((time.perf_counter() - start) * 1000)
            if status != b"200":
                raise RuntimeError("new request answered " + status.decode())
            time.sleep(0.05)
        return sorted(out)

    baseline = new_requests()
    idle = []
    t0 = time.perf_counter()
    for _ in range(args.idle):
        s = socket.create_connection(("127.0.0.1", args.port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(30)
        ask(s, args.idle_path)
        idle.append(s)
    opened = time.perf_counter() - t0
    delays = new_requests()
    still_open = 0
    for s in idle:
        s.setblocking(False)
        try:
            still_open += s.recv(1) != b""
        except BlockingIOError:
            still_open += 1  # nothing to read and not closed: still open
        s.close()
    mid = len(delays) // 2
    delay_median, delay_worst = delays[mid] - baseline[mid], delays[-1] - baseline[-1]
    print("idle=%d opened_in_s=%.2f still_open_at_end=%d baseline_ms median=%.1f worst=%.1f "
          "with_idle_ms median=%.1f worst=%.1f delay_ms median=%.1f worst=%.1f" %
          (args.idle, opened, still_open, baseline[mid], baseline[-1], delays[mid], delays[-1], delay_median,
           delay_worst))
    return 0 if delay_worst <= args.max_ms else 1


if __name__ == "__main__":
    sys.exit(main())
