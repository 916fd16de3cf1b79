"""Copies of the synthetic month shifted by 30 days each, written as one JSON Lines file per day.

usage: make-months.py MONTH.jsonl COPIES OUTDIR
Copy k gets 30*k days added to every time, `m{k:02d}` before every id and story label, and
`/m{k:02d}` in every URL's path, so that copies never share an id, a URL or a story.
"""
import datetime, json, os, sys

source, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
files = {}
day_cache = {}
for k in range(copies):
    tag = f"m{k:02d}"
    with open(source) as lines:
        for line in lines:
            record = json.loads(line)
            date = record["published"][:10]
            key = (date, k)
            if key not in day_cache:
                day_cache[key] = (datetime.date.fromisoformat(date) + datetime.timedelta(days=30 * k)).isoformat()
            day = day_cache[key]
            record["published"] = day + record["published"][10:]
            record["id"] = tag + record["id"]
            record["story"] = tag + record["story"]
            if "url" in record:
                scheme, _, rest = record["url"].partition("://")
                host, _, path = rest.partition("/")
                record["url"] = f"{scheme}://{host}/{tag}/{path}"
            handle = files.get(day)
            if handle is None:
                handle = files[day] = open(os.path.join(out, day + ".jsonl"), "a")
            handle.write(json.dumps(record) + "\n")
    for handle in files.values():
        handle.close()
    files = {}
    print(f"copy {k} done", flush=True)
