#!/usr/bin/env python3
"""What held the server's query threads off a core: their scheduling delays in a perf sched trace.

    perf sched timehist -i sched.data > sched.txt
    bench/reload/sched_waits.py sched.txt SERVER_PID [label]

For every time a query thread of the server (the Netty event loops `dns-io-*`, or the FFM transport's
`dns-udp-ffm-*`) got a core, the trace gives how long it had been runnable first (perf's "sch delay":
woken, or preempted, and waiting); the task that ran on that core just before it is the one it
waited behind. Prints the delays' percentiles and, by what ran before, their count, sum and longest:
the server's own threads by name (a reload's build is `config-watcher`; a learner's rebuild runs on
`latency-learning` and its lanes), other processes by command.

Only the standard library: it runs wherever the benchmark does.
"""
import collections
import re
import sys

LINE = re.compile(r"^\s*(\d+\.\d+)\s+\[(\d+)\]\s+(.{30})\s+(\S+)\s+(\S+)\s+(\S+)\s*$")
TASK = re.compile(r"^(.*)\[(\d+)(?:/(\d+))?\]$")
QUERY_THREADS = ("dns-io", "dns-udp-ffm")


def parse(path):
    """(cpu, comm, pid, sch delay ms) of every switch-in line of `perf sched timehist`."""
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            task = TASK.match(m.group(3).strip())
            if not task:
                continue
            try:
                delay = float(m.group(5))
            except ValueError:
                continue
            pid = task.group(3) or task.group(2)
            yield m.group(2), task.group(1), pid, delay


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, server = sys.argv[1], sys.argv[2]
    label = sys.argv[3] if len(sys.argv) > 3 else path
    before = {}
    delays = []
    held = collections.defaultdict(list)
    for cpu, comm, pid, delay in parse(path):
        if pid == server and comm.startswith(QUERY_THREADS):
            delays.append(delay)
            prev = before.get(cpu)
            if prev is None:
                who = "?"
            elif prev[1] == server:
                who = prev[0]
            else:
                who = prev[0] + " (other process)"
            held[who].append(delay)
        before[cpu] = (comm, pid)
    delays.sort()
    print(f"{label}: query threads got a core {len(delays)} times; waited p50 {percentile(delays, 0.5):.3f}, "
          f"p99 {percentile(delays, 0.99):.3f}, max {delays[-1] if delays else 0:.3f} ms; over 0.5 ms: "
          f"{sum(1 for d in delays if d > 0.5)}")
    ranked = sorted(held.items(), key=lambda kv: -sum(kv[1]))
    for who, values in ranked[:6]:
        values.sort()
        print(f"    behind {who}: {len(values)} times, {sum(values):.1f} ms in all, "
              f"{sum(1 for d in values if d > 0.5)} over 0.5 ms, longest {values[-1]:.3f} ms")


if __name__ == "__main__":
    main()
