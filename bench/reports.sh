#!/usr/bin/env bash
# What each report costs on a large run: `gauntlet run` against the built-in mock on the
# synthetic spec (bench/synthetic_spec.py) of N operations, 20 examples each, every format
# asked at once; prints each file's size and the time its writer took (the engine reports
# them with GAUNTLET_REPORT_TIMINGS=1), and the NDJSON stream's size (written as the run goes,
# so its cost is inside the run). Figures, not assertions.
#   bash bench/reports.sh          # 2,000 operations
#   bash bench/reports.sh 500
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
cargo build --release -q
BIN=$PWD/target/release/gauntlet
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 bench/synthetic_spec.py "$N" > "$TMP/spec.json"
# A failing target makes reports with failures to write: the mock answering 500 at random
# would not be deterministic, so the mock answers every valid request with 500.
"$BIN" mock --spec "$TMP/spec.json" --port 0 --fault server-error > "$TMP/mock.txt" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do grep -q http "$TMP/mock.txt" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -oE 'http://[0-9.:]+' "$TMP/mock.txt")
/usr/bin/time -f '%e %M' -o "$TMP/time" env GAUNTLET_REPORT_TIMINGS=1 "$BIN" run --spec "$TMP/spec.json" \
  --base-url "$URL" --user bench:token --max-examples 20 --seed 1 --quiet --junit "$TMP/junit.xml" \
  --report json="$TMP/r.json" --report ndjson="$TMP/e.ndjson" --report sarif="$TMP/r.sarif" \
  --report html="$TMP/r.html" > "$TMP/out.txt" 2> "$TMP/err.txt" || true
read -r WALL_S RSS_KB < <(tail -n 1 "$TMP/time")
grep -E '^(PASS|FAIL)' "$TMP/out.txt"
printf '%-8s %14s %10s\n' "format" "bytes" "write ms"
awk '/^report-timing/ {printf "%-8s %14s %10s\n", $2, $3, $5}' "$TMP/err.txt"
printf '%-8s %14s %10s\n' "ndjson" "$(stat -c %s "$TMP/e.ndjson")" "(streamed)"
echo "wall ${WALL_S}s, peak RSS $(awk -v m="$RSS_KB" 'BEGIN {printf "%.1f", m / 1024}') MB, $N operations"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
