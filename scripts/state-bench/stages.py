#!/usr/bin/env python3
"""stages.py FILES...: seconds per stage from update --progress logs, averaged over the files."""
import re, sys
keys = [("read ", "read"), ("window:", "window"), ("vectorized:", "vectorize"), ("short texts:", "copies+short"),
        ("similarity:", "similarity"), ("cluster:", "cluster"), ("ids:", "ids"), ("state:", "state")]
tot = {}; n = 0
for path in sys.argv[1:]:
    text = open(path, errors="replace").read().replace("\r", "\n")
    marks = []
    for m in re.finditer(r"\[\s*([0-9.]+)s\] (.*)", text):
        marks.append((float(m.group(1)), m.group(2)))
    last = 0.0; seen = {}
    for t, what in marks:
        for k, name in keys:
            if what.startswith(k) and name not in seen:
                seen[name] = t - last; last = t
    if "state" in seen:
        n += 1
        for k, v in seen.items(): tot[k] = tot.get(k, 0) + v
print(n, "updates;", ", ".join(f"{name} {tot.get(name,0)/max(n,1):.2f}" for _, name in keys))
