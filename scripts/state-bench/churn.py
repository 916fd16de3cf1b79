#!/usr/bin/env python3
"""churn.py STATE DUMP: compares the state's memberships with those dumped after the previous
update; every article whose story changed must be explained by a merged_into or split_from
change of the last run. Prints: run, articles, moved, unexplained, vanished."""
import sqlite3, sys, os, pickle
state, dump = sys.argv[1], sys.argv[2]
db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
cur = dict(db.execute("select article, story from memberships"))
run = db.execute("select max(id) from runs").fetchone()[0]
merged = set(db.execute("select story, other_story from changes where run=? and change='merged_into'", (run,)))
split = set(db.execute("select story, other_story from changes where run=? and change='split_from'", (run,)))
prev = pickle.load(open(dump, "rb")) if os.path.exists(dump) else {}
moved = bad = vanished = 0
for a, s in prev.items():
    t = cur.get(a)
    if t is None:
        vanished += 1
    elif t != s:
        moved += 1
        if (s, t) not in merged and (t, s) not in split:
            bad += 1
pickle.dump(cur, open(dump, "wb"))
print(f"churn run {run} articles {len(cur)} moved {moved} unexplained {bad} vanished {vanished}")
