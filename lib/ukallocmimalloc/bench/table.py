#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Merges the lines of bench-port, bench-port-stats and bench-port-bytes
# ("<workload> <threads> <variant> <Mpairs/s> <Mpairs per CPU-s>") into two
# Markdown tables, wall clock and per CPU-second. Each ratio divides by
# Debian's figure measured in the same process (interleaved with it); "-"
# where Debian's library was not installed. The last one divides by
# bbuddy's (the guest benchmark's comparison, on real cores).
import sys

def load(path):
    rows = {}
    for line in open(path):
        w, n, v, wall, cpu = line.split()
        rows[(w, int(n), v)] = (float(wall), float(cpu))
    return rows

port, stats, nbytes = (load(p) for p in sys.argv[1:4])
cols = [("Debian libmimalloc", port, "debian"),
        ("port: mi_malloc direct", port, "direct"),
        ("port: malloc()", port, "malloc"),
        ("port: uk_malloc()", port, "uk_malloc"),
        ("bbuddy: uk_malloc()", port, "bbuddy"),
        ("malloc(), block stats", stats, "malloc"),
        ("malloc(), block + byte stats", nbytes, "malloc")]
ratios = [("direct / Debian", port, "direct"),
          ("malloc() / Debian", port, "malloc"),
          ("uk_malloc() / Debian", port, "uk_malloc"),
          ("block stats / Debian", stats, "malloc"),
          ("block + byte stats / Debian", nbytes, "malloc"),
          ("port uk_malloc() / bbuddy", port, "uk_malloc")]
keys = sorted({(w, n) for (w, n, v) in port})

for i, title, unit in ((0, "million alloc+free pairs per second (wall clock)",
                        "wall clock"),
                       (1, "million alloc+free pairs per CPU-second",
                        "per CPU-second")):
    print(f"\n{title}:\n")
    print("| workload | threads | " + " | ".join(c[0] for c in cols) + " | "
          + " | ".join(r[0] for r in ratios) + " |")
    print("|---|---|" + "---|" * (len(cols) + len(ratios)))
    worst = None
    for w, n in keys:
        cells = []
        for _, rows, v in cols:
            x = rows.get((w, n, v))
            cells.append(f"{x[i]:.1f}" if x is not None else "-")
        for label, rows, v in ratios:
            d = rows.get((w, n, "bbuddy" if label.endswith("bbuddy")
                          else "debian"))
            x = rows.get((w, n, v))
            if d and x is not None:
                r = x[i] / d[i]
                cells.append(f"{r:.2f}")
                if (rows is port and v in ("malloc", "uk_malloc")
                        and not label.endswith("bbuddy")):
                    worst = r if worst is None else min(worst, r)
            else:
                cells.append("-")
        print(f"| {w} | {n} | " + " | ".join(cells) + " |")
    if worst is None:
        print("\ngoal (malloc() and uk_malloc() >= 0.90 x Debian): not "
              "measured (Debian's libmimalloc2.0 is not installed)")
    else:
        print(f"\ngoal (malloc() and uk_malloc() >= 0.90 x Debian, default "
              f"configuration), {unit}: "
              f"lowest {worst:.2f}, {'met' if worst >= 0.90 else 'NOT met'}")
