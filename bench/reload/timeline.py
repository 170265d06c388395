#!/usr/bin/env python3
"""When the slow answers of a bench/reload/run.sh run came, reload by reload.

    bench/reload/timeline.py bench/results/reload-<time> [threshold_ms]

For each reload: the answers slower than the threshold (default 0.5 ms) in each 250 ms from 2 s
before the rename to 1 s after the log line `configuration ...: applied`, as `seconds:count`
(only steps that have any). Where they bunch says what held them: the start of the build, a
collection in gc.log, a compilation, the end where the table is published.
"""
import collections
import datetime
import re
import sys


def applied_times(run):
    times = []
    for line in open(run + '/server.log'):
        if 'configuration' in line and 'applied' in line:
            stamp = datetime.datetime.strptime(line.split()[0][:23], '%Y-%m-%dT%H:%M:%S.%f')
            times.append(stamp.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    return times


def reload_durations(run):
    durations = []
    for line in open(run + '/summary.md'):
        m = re.match(r'\| (\d+) \| reload \| [\d.]+ \| (\d+) \|', line)
        if m:
            durations.append(int(m.group(2)))
    return durations


def main():
    run = sys.argv[1]
    threshold_us = float(sys.argv[2]) * 1000 if len(sys.argv) > 2 else 500
    durations = reload_durations(run)
    applied = applied_times(run)[-len(durations):]  # the first line is the start-up's
    answers = [tuple(map(int, line.split())) for line in open(run + '/answers.txt')]
    for k, (done, took) in enumerate(zip(applied, durations), 1):
        renamed = done - took
        slow = collections.Counter()
        for sent_ms, latency_us in answers:
            if renamed - 2000 <= sent_ms <= done + 1000 and latency_us > threshold_us:
                slow[int((sent_ms - renamed) // 250)] += 1
        print(f"reload {k}: {took} ms from the rename; answers over {threshold_us / 1000:g} ms per 250 ms:")
        print(' '.join(f"{step * 0.25:.2f}:{slow[step]}" for step in sorted(slow)))


if __name__ == '__main__':
    main()
