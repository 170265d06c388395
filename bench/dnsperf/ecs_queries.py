#!/usr/bin/env python3
"""Queries for dnsperf's binary input (-B), each with its own ECS client subnet.

    bench/dnsperf/ecs_queries.py LATENCY_CSV COUNT SEED NAME=OUT [NAME=OUT ...]

dnsperf's -E adds one EDNS option to every query, so all its ECS queries name the same client
network, and a server that routes by client network reads the same cached row each time. This
writes, for each NAME, to its OUT, COUNT queries (type A, no recursion, EDNS with a 1232-byte
payload) whose ECS options name COUNT IPv4 /24s drawn without repeats, in a shuffled order fixed
by SEED (the same for every name), from the
prefixes of a latency CSV (prefix,region,...; prefixes of /24 or longer are taken as their /24), in
the TCP-stream layout dnsperf -B reads: a 2-byte length before each message. dnsperf replays the
file in a loop and sets each query's ID itself.

Only the standard library: it runs wherever the benchmark does.
"""
import random
import struct
import sys


def slash24s(csv_path):
    seen = set()
    last = None
    with open(csv_path) as f:
        for line in f:
            prefix = line.split(",", 1)[0]
            if prefix == last:
                continue  # a table lists a prefix once per region, one line after another
            last = prefix
            if line.startswith("#") or prefix == "prefix" or ":" in prefix or "/" not in prefix:
                continue
            address, length = prefix.split("/")
            if int(length) < 24:
                continue
            octets = address.split(".")
            seen.add((int(octets[0]), int(octets[1]), int(octets[2])))
    return sorted(seen)


def wire_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def query(qname, subnet):
    header = struct.pack("!HHHHHH", 0, 0, 1, 0, 0, 1)  # ID set by dnsperf; RD clear; one question, one OPT
    question = qname + struct.pack("!HH", 1, 1)  # A, IN
    ecs = struct.pack("!HBB", 1, 24, 0) + bytes(subnet)  # family IPv4, source /24, scope 0, 3 address bytes
    option = struct.pack("!HH", 8, len(ecs)) + ecs
    opt = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, len(option)) + option
    message = header + question + opt
    return struct.pack("!H", len(message)) + message


def main():
    if len(sys.argv) < 5 or any("=" not in a for a in sys.argv[4:]):
        sys.exit(__doc__)
    csv_path, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    subnets = slash24s(csv_path)
    if count > len(subnets):
        sys.exit(f"{csv_path} has {len(subnets)} /24s, fewer than {count}")
    chosen = random.Random(seed).sample(subnets, count)
    for pair in sys.argv[4:]:
        name, out = pair.split("=", 1)
        qname = wire_name(name)
        with open(out, "wb") as f:
            f.write(b"".join(query(qname, subnet) for subnet in chosen))


if __name__ == "__main__":
    main()
