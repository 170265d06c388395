#!/usr/bin/env bash
# What other work at the lowest CPU priority does to query latency (bench/README "Eleventh look"):
# bench/reload/run.sh with one reload and WARMUP=40, and, 5 s into the idle window before the reload,
# a hog at SCHED_IDLE (chrt --idle 0) for 8 s; prints the p99 of the 8 s before the hog and of the hog's 8 s.
#
#   HOG=cpu bench/reload/hog.sh      # two shell busy-loops: no memory touched
#   HOG=jvm bench/reload/hog.sh      # a JVM (4 GB heap) whose two threads allocate and write 256 KiB arrays
#   HOG=jvm-small bench/reload/hog.sh  # the same with 16 KiB arrays in a 64 MB heap: no new memory after its start
#   HOG=none bench/reload/hog.sh     # nothing: the same windows, for comparison
#
# Other knobs are bench/reload/run.sh's (SKIP_BUILD, WAYFINDER_JAR, ...). Needs chrt (util-linux).
set -euo pipefail
cd "$(dirname "$0")/../.."
HOG="${HOG:-jvm}"
WORK="$(mktemp -d /tmp/wayfinder-hog.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/Hog.java" <<'EOF'
/** Two threads that allocate int arrays of args[0] elements, write each element and keep the last 4,000 (or 100). */
public class Hog {
    public static void main(String[] args) {
        int size = Integer.parseInt(args[0]);
        int kept = Integer.parseInt(args[1]);
        Runnable work = () -> {
            java.util.List<int[]> keep = new java.util.ArrayList<>();
            long sum = 0;
            while (true) {
                int[] a = new int[size];
                for (int i = 0; i < a.length; i++) {
                    a[i] = i * 31 + (int) sum;
                }
                sum += a[7];
                keep.add(a);
                if (keep.size() > kept) {
                    keep.clear();
                }
            }
        };
        new Thread(work).start();
        work.run();
    }
}
EOF

LOG="$WORK/run.out"
WARMUP=40 RELOADS=1 bench/reload/run.sh > "$LOG" 2>&1 &
RUN=$!
until grep -q "first answer after" "$LOG" 2>/dev/null; do
    kill -0 "$RUN" 2>/dev/null || { cat "$LOG"; exit 1; }
    sleep 0.2
done
sleep 46 # the warm-up, then 6 s into the 20 s idle window
start=$(date +%s%3N)
case "$HOG" in
    none) sleep 8 ;;
    cpu)
        timeout 8 chrt --idle 0 sh -c 'while :; do :; done' & a=$!
        timeout 8 chrt --idle 0 sh -c 'while :; do :; done' & b=$!
        wait "$a" "$b" || true ;;
    jvm) timeout 8 chrt --idle 0 java -XX:+UseSerialGC -Xmx4g "$WORK/Hog.java" 65536 4000 || true ;;
    jvm-small) timeout 8 chrt --idle 0 java -XX:+UseSerialGC -Xmx64m -Xmn32m "$WORK/Hog.java" 4096 100 || true ;;
    *) echo "HOG must be none, cpu, jvm or jvm-small" >&2; kill "$RUN"; exit 2 ;;
esac
end=$(date +%s%3N)
wait "$RUN"
OUT=$(grep -o 'bench/results/reload-[0-9-]*' "$LOG" | tail -1)
python3 - "$OUT" "$start" "$end" "$HOG" <<'EOF'
import sys
run, start, end, hog = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
before, during = [], []
for line in open(run + '/answers.txt'):
    sent_ms, latency_us = map(int, line.split())
    if start <= sent_ms <= end:
        during.append(latency_us)
    elif start - 9000 <= sent_ms < start - 1000:
        before.append(latency_us)

def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] / 1000

print(f"{run}, HOG={hog}: p99 {p99(before):.3f} ms in the 8 s before, {p99(during):.3f} ms during "
      f"({len(before)} and {len(during)} answers)")
EOF
