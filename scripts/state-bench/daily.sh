#!/usr/bin/env bash
# The month as daily updates against one batch run, as BENCHMARKS.md measures issue 13:
#
#   scripts/state-bench/daily.sh BIN DAYS_DIR CORPUS WORK [--five]
#
# BIN: a release storyclust; DAYS_DIR: one JSON Lines file per day (split.py CORPUS DAYS_DIR 24);
# CORPUS: the same articles in one file; WORK: a new directory for the state, logs and reports.
# Runs one `update --state WORK/state.sqlite DAY --progress` per day (no --out), each under
# /usr/bin/time, with its progress lines in WORK/progress/DAY.log; then `cluster CORPUS` once and
# `export` of the state. With --five, also `cluster` of the five days that end on each day, for
# the memory comparison. Prints a line per day and the totals; run it on an otherwise idle machine.
set -eu
if [ $# -lt 4 ]; then sed -n '2,11p' "$0"; exit 2; fi
bin=$1 days=$2 corpus=$3 work=$4 five=${5:-}
command -v /usr/bin/time >/dev/null || { echo "daily.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
[ -e "$work" ] && { echo "daily.sh: $work exists; give a new directory" >&2; exit 2; }
mkdir -p "$work/progress"
files=("$days"/*)
# Runs a command (its standard output dropped) and prints its wall seconds and peak KiB.
timed() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null; cat "$work/time.txt"; }

: > "$work/daily.txt"
for k in "${!files[@]}"; do
    day=$(basename "${files[$k]}")
    line=$(timed "$bin" update --state "$work/state.sqlite" "${files[$k]}" --progress 2> "$work/progress/$day.log")
    five_peak=""
    if [ "$five" = "--five" ]; then
        first=$(( k > 4 ? k - 4 : 0 ))
        five_peak=$(timed "$bin" cluster "${files[@]:$first:$((k - first + 1))}" --out "$work/five" --quiet | cut -d' ' -f2)
    fi
    echo "$day $line $five_peak" | tee -a "$work/daily.txt"
done
batch=$(timed "$bin" cluster "$corpus" --out "$work/batch" --quiet)
"$bin" export --state "$work/state.sqlite" --out "$work/export" --quiet
awk -v batch="$batch" '
    { total += $2; if ($3 > peak) peak = $3; if ($4 != "") { r = $3 / $4; if (r > worst) worst = r } }
    END {
        split(batch, b, " ")
        printf "updates: %d, %.1f s in all, largest peak %d KiB\n", NR, total, peak
        printf "batch: %.1f s, peak %d KiB; updates / batch: %.2f\n", b[1], b[2], total / b[1]
        if (worst > 0) printf "largest update peak / its five days in one run: %.3f\n", worst
    }' "$work/daily.txt"
echo "reports: $work/batch/articles.csv (batch), $work/export/articles.csv (the updates, exported)"
