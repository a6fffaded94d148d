#!/usr/bin/python3
# Merges bench-debian's and bench-port's lines into a Markdown table.
import sys

def load(path):
    rows = {}
    for line in open(path):
        w, n, v, _ = line.split()
        rows[(w, int(n))] = float(v)
    return rows

deb, port = load(sys.argv[1]), load(sys.argv[2])
print("| workload | threads | Debian libmimalloc (M pairs/s) | port via uk_malloc (M pairs/s) | port / Debian |")
print("|---|---|---|---|---|")
for key in sorted(deb, key=lambda k: (k[0], k[1])):
    d, p = deb[key], port.get(key, 0.0)
    print(f"| {key[0]} | {key[1]} | {d:.2f} | {p:.2f} | {p / d:.2f} |")
