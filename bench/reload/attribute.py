#!/usr/bin/env python3
"""Which slow answers of a bench/reload/run.sh run were in flight while the server's JVM was stopped.

    bench/reload/attribute.py bench/results/reload-<time> [threshold_ms]

Reads answers.txt (receive wall ms, latency us), safepoints.log (-Xlog:safepoint with utctime: when
each safepoint ended and how long it took in all, from the request to the end) and server.log (the reload windows:
a reload's ': applied' line, its start from 'reloaded in N ms'; or, of a LEARN=N run, the learner's
rebuilds, from 'latency learning: rebuilt in N ms', the start's rebuild first). For each reload window, and for the
idle seconds before it, prints how many answers took longer than the threshold (default: 2x the idle
p99 of that reload) and how many of those were in flight during a safepoint (a GC pause, or any
other stop). A slow answer with no safepoint over its flight was held by something else: the CPU
(the build thread, the load generator and other jobs share the cores), the kernel or the network.

Only the standard library: it runs wherever the benchmark does.
"""
import bisect
import re
import sys
from datetime import datetime, timezone

STAMP = re.compile(r"^\[(\d{4}-\d\d-\d\dT[\d:.]+)([+-]\d{4})\]")
SAFEPOINT = re.compile(r'Safepoint "([^"]+)".* Total: (\d+) ns')
APPLIED = re.compile(r"^(\S+) .*(?:reloaded|rebuilt) in (\d+) ms")


def wall_ms(iso, zone="+0000"):
    return datetime.strptime(iso + zone, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000


def safepoints(path):
    """(start ms, end ms, name) of every safepoint, from its end stamp and its durations."""
    out = []
    with open(path) as f:
        for line in f:
            s, m = STAMP.match(line), SAFEPOINT.search(line)
            if s and m:
                end = wall_ms(s.group(1), s.group(2))
                stopped = int(m.group(2)) / 1e6  # reaching it, cleaning up and being at it
                out.append((end - stopped, end, m.group(1)))
    return sorted(out)


def reloads(path):
    """(start ms, applied ms) of every reload or rebuild, from the server's 'reloaded/rebuilt in N ms' lines."""
    out = []
    with open(path) as f:
        for line in f:
            m = APPLIED.match(line)
            if m:
                end = datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp() * 1000
                out.append((end - int(m.group(2)), end))
    return out


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, int(len(sorted_values) * q + 0.999999) - 1))]


def main():
    run = sys.argv[1]
    fixed = float(sys.argv[2]) if len(sys.argv) > 2 else None
    answers = []  # (send ms, receive ms, latency ms)
    with open(f"{run}/answers.txt") as f:
        for line in f:
            received, micros = line.split()
            latency = int(micros) / 1000
            answers.append((int(received) - latency, int(received), latency))
    answers.sort()
    sends = [a[0] for a in answers]
    stops = safepoints(f"{run}/safepoints.log")
    stop_starts = [s[0] for s in stops]

    def stopped_during(a, b):
        """The safepoints that overlap [a, b]."""
        i = max(0, bisect.bisect_left(stop_starts, a) - 1)
        hits = []
        while i < len(stops) and stops[i][0] <= b:
            if stops[i][1] >= a:
                hits.append(stops[i])
            i += 1
        return hits

    def window(a, b):
        lo, hi = bisect.bisect_left(sends, a), bisect.bisect_left(sends, b)
        return answers[lo:hi]

    print("| reload | window | answers | p99 | slow (> threshold) | in flight during a safepoint | of those, not | "
          "safepoints (count, sum ms, longest ms) | threshold |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|")
    for n, (start, end) in enumerate(reloads(f"{run}/server.log"), 1):
        idle = window(start - 20_000, start - 1_000)
        idle_p99 = percentile(sorted(a[2] for a in idle), 0.99)
        threshold = fixed if fixed is not None else 2 * idle_p99
        for name, rows, a, b in (("idle", idle, start - 20_000, start - 1_000), ("reload", window(start, end), start, end)):
            slow = [r for r in rows if r[2] > threshold]
            held = sum(1 for r in slow if stopped_during(r[0], r[1]))
            in_window = [s for s in stops if a <= s[1] and s[0] <= b]
            lengths = [s[1] - s[0] for s in in_window]
            p99 = percentile(sorted(r[2] for r in rows), 0.99)
            print(f"| {n} | {name} | {len(rows)} | {p99:.2f} ms | {len(slow)} | {held} | {len(slow) - held} | "
                  f"{len(lengths)}, {sum(lengths):.0f}, {max(lengths, default=0):.1f} | {threshold:.2f} ms |")


if __name__ == "__main__":
    main()
