#!/usr/bin/python3
# Merges the lines of bench-debian, bench-port, bench-port BENCH_DIRECT=1
# and bench-port-nobytes into a Markdown table (million pairs/s).
import sys

def load(path):
    rows = {}
    for line in open(path):
        w, n, v, _ = line.split()
        rows[(w, int(n))] = float(v)
    return rows

deb, port, direct, nob = (load(p) for p in sys.argv[1:5])
print("| workload | threads | Debian libmimalloc | port: mi_malloc direct | port: uk_malloc | port: uk_malloc, no byte count | direct / Debian | uk_malloc / Debian | no byte count / Debian |")
print("|---|---|---|---|---|---|---|---|---|")
for key in sorted(deb):
    d = deb[key]
    x, p, n = direct.get(key, 0.0), port.get(key, 0.0), nob.get(key, 0.0)
    print(f"| {key[0]} | {key[1]} | {d:.1f} | {x:.1f} | {p:.1f} | {n:.1f} | {x / d:.2f} | {p / d:.2f} | {n / d:.2f} |")
