#!/usr/bin/env python3
"""Where a server's CPU goes, by component: reads `perf script` output (perf record -g) on stdin
and prints the share of samples per component as a Markdown table.

Each sample is classified by its stack, leaf first: the first frame that names a component wins,
so a JIT-compiled Wayfinder method counts as decode, route or encode, and a kernel frame under a
send or receive system call counts as kernel send or kernel receive.
"""
import re
import sys
from collections import Counter

# (component, pattern on a frame's symbol), tried leaf first for every frame
USER = [
    ("decode", re.compile(r"io\.wayfinder\.dns\.wire\.(QueryDecoder|DnsQuery)")),
    ("encode", re.compile(r"io\.wayfinder\.dns\.wire\.(ResponseWriter|NameCompressor)")),
    ("route (answer, routing, latency table)", re.compile(r"io\.wayfinder\.(answer|routing|latency|net|geo|traffic)\.")),
    ("rate limit, counters, timing", re.compile(r"io\.wayfinder\.dns\.(ratelimit|server\.(ServerStats|AnswerDurations))|LongAdder|Striped64|clock_gettime|nanoTime")),
    ("FFM downcall, method handles, batch loop", re.compile(r"io\.wayfinder\.dns\.server\.(FfmUdpSocket|LinuxUdp)|jdk\.internal\.foreign|java\.lang\.foreign|MemorySegment|nep_invoker|downcall|Invokers\$Holder|LambdaForm")),
    ("JNI (Netty native epoll)", re.compile(r"Java_io_netty|netty_epoll|netty_unix|libnetty")),
    ("Netty pipeline, buffers, event loop", re.compile(r"io\.netty\.")),
    ("query processor, handler", re.compile(r"io\.wayfinder\.dns\.server\.")),
]
KERNEL_SEND = re.compile(r"sendmmsg|sendmsg|sys_sendto|udp_sendmsg")
KERNEL_RECV = re.compile(r"recvmmsg|recvmsg|sys_recvfrom|udp_recvmsg")
KERNEL_WAIT = re.compile(r"epoll_wait|schedule|do_epoll|futex")

def classify(frames):
    # frames: list of (symbol, dso), leaf first
    kernel_leaf = frames and ("kernel" in frames[0][1] or frames[0][1].startswith("[k"))
    if kernel_leaf:
        syms = " ".join(f[0] for f in frames)
        if KERNEL_SEND.search(syms):
            return "kernel send (incl. loopback delivery)"
        if KERNEL_RECV.search(syms):
            return "kernel receive"
        if KERNEL_WAIT.search(syms):
            return "kernel wait, scheduling"
        return "kernel other (interrupts, timers)"
    for sym, dso in frames:
        for name, pattern in USER:
            if pattern.search(sym) or pattern.search(dso):
                return name
    dso = frames[0][1] if frames else ""
    if "libjvm" in dso:
        return "JVM (GC, compiler, runtime)"
    if "libc" in dso:
        return "libc"
    return "other"

def samples(lines):
    frames, in_sample = [], False
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if in_sample:
                yield frames
            frames, in_sample = [], False
            continue
        if not line.startswith((" ", "\t")):
            in_sample = True
            continue
        m = re.match(r"\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$", line)
        if m:
            frames.append((m.group(1), m.group(2)))
    if in_sample:
        yield frames

counts = Counter(classify(f) for f in samples(sys.stdin))
total = sum(counts.values()) or 1
print("| Component | Share of server CPU samples |")
print("|---|---:|")
for name, n in counts.most_common():
    print(f"| {name} | {100.0 * n / total:.1f}% |")
print(f"\n{total} samples")
