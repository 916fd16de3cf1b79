#!/usr/bin/env python3
"""split.py CORPUS OUTDIR hours: one JSON Lines file per `hours` of publish time (UTC), named by slot."""
import json, sys, os, datetime
src, out, hours = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
files = {}
for line in open(src):
    rec = json.loads(line)
    t = datetime.datetime.fromisoformat(rec["published"].replace("Z", "+00:00"))
    slot = int(t.timestamp()) // (hours * 3600)
    f = files.get(slot)
    if f is None:
        f = files[slot] = open(os.path.join(out, "%08d.jsonl" % slot), "w")
    f.write(line)
for f in files.values(): f.close()
print(len(files), "files")
