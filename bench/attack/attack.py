#!/usr/bin/env python3
"""Loopback-only attack clients for bench/attack/*.sh (see bench/attack/README.md).

  attack.py never-reads --server 127.0.0.1:PORT --pid PID [--connections 4] [--attack 20] ...
  attack.py slowloris   --server 127.0.0.1:PORT [--connections 1100] [--sources 100] ...

Every address this script talks to or binds must be loopback (127.0.0.0/8 or ::1); it refuses
anything else, so it cannot be pointed at someone else's server by mistake.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys
import threading
import time


def loopback(host):
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"attack.py: {host} is not a loopback address; refusing")
    return host


def parse_server(text):
    host, _, port = text.rpartition(":")
    return loopback(host.strip("[]")), int(port)


def query(qid, name="www.attack.test", qtype=1):
    """A DNS query (RD off), as bytes."""
    out = struct.pack(">HHHHHH", qid & 0xFFFF, 0, 1, 0, 0, 0)
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00" + struct.pack(">HH", qtype, 1)


def framed(message):
    return struct.pack(">H", len(message)) + message


def ask_udp(server, qid, timeout=1.0):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(query(qid), server)
            data, _ = s.recvfrom(4096)
            return len(data) >= 12 and data[0:2] == struct.pack(">H", qid)
        except OSError:
            return False


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def ask_tcp(server, qid, timeout=1.0, source=None):
    """One fresh connection, one query; True when the answer comes back within the timeout."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            if source:
                s.bind((source, 0))
            s.connect(server)
            s.sendall(framed(query(qid)))
            head = recv_exactly(s, 2)
            if head is None:
                return False
            body = recv_exactly(s, struct.unpack(">H", head)[0])
            return body is not None and body[0:2] == struct.pack(">H", qid)
    except OSError:
        return False


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Prober(threading.Thread):
    """Asks over UDP and over a fresh TCP connection every `interval` s; records (time, udp ok, tcp ok)."""

    def __init__(self, server, interval, source):
        super().__init__(daemon=True)
        self.server, self.interval, self.source = server, interval, source
        self.samples = []
        self.stop = threading.Event()

    def run(self):
        qid = 1
        while not self.stop.is_set():
            start = time.monotonic()
            udp = ask_udp(self.server, qid)
            tcp = ask_tcp(self.server, qid + 1, source=self.source)
            self.samples.append((start, udp, tcp))
            qid = (qid + 2) & 0xFFFF
            self.stop.wait(max(0.0, self.interval - (time.monotonic() - start)))


def never_reads(args):
    server = parse_server(args.server)
    batch = b"".join(framed(query(i)) for i in range(1000))
    stop = threading.Event()
    sent = [0] * args.connections

    def attacker(i):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # never read: keep our side small too
        s.bind((loopback(args.attacker_source), 0))
        s.connect(server)
        s.settimeout(0.2)
        view, position = memoryview(batch), 0
        while not stop.is_set():
            try:
                n = s.send(view[position:])  # may be partial: carry on from where it stopped
                sent[i] += n
                position = (position + n) % len(batch)
            except socket.timeout:
                continue  # the server stopped reading us: keep trying until the attack ends
            except OSError:
                break  # the server closed us
        s.close()

    prober = Prober(server, args.probe_interval, loopback(args.probe_source))
    rows = []

    def sample(phase, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            rows.append((phase, time.monotonic(), rss_mib(args.pid)))
            time.sleep(0.5)

    prober.start()
    t0 = time.monotonic()
    sample("before", args.before)
    t1 = time.monotonic()
    threads = [threading.Thread(target=attacker, args=(i,), daemon=True) for i in range(args.connections)]
    for t in threads:
        t.start()
    sample("during", args.attack)
    stop.set()
    for t in threads:
        t.join(5)
    t2 = time.monotonic()
    sample("after", args.after)
    t3 = time.monotonic()
    prober.stop.set()
    prober.join(5)

    print(f"attack: {args.connections} connection(s) from {args.attacker_source} writing pipelined A queries"
          f" for {args.attack} s and never reading; {sum(sent) / 2**20:.1f} MiB ({sum(sent) // len(framed(query(0))):,}"
          f" queries) accepted by the kernel")
    print()
    print("| phase | seconds | server RSS min / max (MiB) | UDP answered | TCP answered (fresh connection) | 1-s windows with a failure |")
    print("|---|---:|---:|---:|---:|---:|")
    for phase, start, end in (("before", t0, t1), ("during", t1, t2), ("after", t2, t3)):
        rss = [r for p, _, r in rows if p == phase]
        probes = [s for s in prober.samples if start <= s[0] < end]
        windows = {}
        for ts, udp, tcp in probes:
            w = int(ts - start)
            windows[w] = windows.get(w, True) and udp and tcp
        udp_ok = sum(1 for s in probes if s[1])
        tcp_ok = sum(1 for s in probes if s[2])
        print(f"| {phase} | {end - start:.0f} | {min(rss):.0f} / {max(rss):.0f} | {udp_ok}/{len(probes)}"
              f" | {tcp_ok}/{len(probes)} | {sum(1 for ok in windows.values() if not ok)}/{len(windows)} |")
    print()
    print("RSS every 0.5 s (MiB): " + " ".join(f"{r:.0f}" for _, _, r in rows))


def slowloris(args):
    server = parse_server(args.server)
    sources = [loopback(f"127.0.{1 + i // 250}.{1 + i % 250}") for i in range(args.sources)]
    conns = {}  # socket -> source
    opened = refused = reopened = 0
    lock = threading.Lock()

    def connect(source):
        nonlocal opened, refused
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(True)
        s.settimeout(2)
        try:
            s.bind((source, 0))
            s.connect(server)
            s.setblocking(False)
            conns[s] = source
            opened += 1
        except OSError:
            refused += 1
            s.close()

    rss_before = rss_mib(args.pid) if args.pid else float("nan")
    t0 = time.monotonic()
    for i in range(args.connections):
        connect(sources[i % len(sources)])
    print(f"slowloris: {len(conns)} of {args.connections} connections opened from {len(sources)} source"
          f" address(es) in {time.monotonic() - t0:.1f} s; each sends one byte every {args.byte_interval} s,"
          f" and a connection the server closes is opened again", file=sys.stderr)

    stop = threading.Event()

    def drip():
        nonlocal reopened
        query_bytes = framed(query(7))
        position = {}
        while not stop.is_set():
            with lock:
                for s in list(conns):
                    closed = False
                    try:
                        if s.recv(4096) == b"":
                            closed = True
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed = True
                    if not closed:
                        try:
                            p = position.get(s, 0)
                            s.send(query_bytes[p % len(query_bytes):p % len(query_bytes) + 1])
                            position[s] = p + 1
                        except BlockingIOError:
                            pass
                        except OSError:
                            closed = True
                    if closed:
                        source = conns.pop(s)
                        position.pop(s, None)
                        s.close()
                        connect(source)
                        reopened += 1
            stop.wait(args.byte_interval)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    time.sleep(args.settle)
    rss_during = rss_mib(args.pid) if args.pid else float("nan")

    fresh_source = loopback(args.fresh_source)
    results = []
    workers = []
    for i in range(args.fresh):
        t = threading.Thread(target=lambda i=i: results.append(ask_tcp(server, 1000 + i, args.fresh_timeout, fresh_source)))
        workers.append(t)
        t.start()
        time.sleep(args.fresh_spacing)
    for t in workers:
        t.join()
    stop.set()
    dripper.join(args.byte_interval + 5)
    with lock:
        still = len(conns)
        for s in conns:
            s.close()
    print(f"fresh clients from {fresh_source} answered over TCP: {sum(results)} of {args.fresh}"
          f" (timeout {args.fresh_timeout} s each)")
    print(f"slow connections: {opened} opened in all, {reopened} re-opened after the server closed them,"
          f" {refused} connect() failures, {still} open at the end")
    if args.pid:
        print(f"server RSS: {rss_before:.0f} MiB before, {rss_during:.0f} MiB with the slow connections")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    n = sub.add_parser("never-reads", help="pipelined queries on connections that are never read")
    n.add_argument("--server", required=True)
    n.add_argument("--pid", required=True, type=int, help="the server's process id, for its RSS")
    n.add_argument("--connections", type=int, default=4)
    n.add_argument("--before", type=float, default=5)
    n.add_argument("--attack", type=float, default=20)
    n.add_argument("--after", type=float, default=20)
    n.add_argument("--probe-interval", type=float, default=0.1)
    n.add_argument("--attacker-source", default="127.0.0.2")
    n.add_argument("--probe-source", default="127.0.0.3")
    n.set_defaults(run=never_reads)

    s = sub.add_parser("slowloris", help="many connections sending one byte every few seconds, then fresh clients")
    s.add_argument("--server", required=True)
    s.add_argument("--pid", type=int, help="the server's process id, for its RSS")
    s.add_argument("--connections", type=int, default=1100)
    s.add_argument("--sources", type=int, default=1, help="source addresses the slow connections are spread over")
    s.add_argument("--byte-interval", type=float, default=5)
    s.add_argument("--settle", type=float, default=12, help="seconds between opening them and the fresh clients")
    s.add_argument("--fresh", type=int, default=40)
    s.add_argument("--fresh-timeout", type=float, default=2)
    s.add_argument("--fresh-spacing", type=float, default=0.05)
    s.add_argument("--fresh-source", default="127.0.9.9")
    s.set_defaults(run=slowloris)

    args = p.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
