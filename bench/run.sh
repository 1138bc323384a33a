#!/usr/bin/env bash
# Measures gauntlet's throughput and memory on this machine and prints one table:
#   - the loopback limit: wrk against the built-in mock (requests/s, client CPU per request);
#   - gauntlet run against the same mock, every check on, at 10,000 and 100,000 scenarios
#     (requests/s, client CPU per 1,000 requests, latency p50/p99, peak RSS);
#   - schema validation throughput for the seed's 200 body.
# Figures, not assertions: nothing here fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
cargo build --release -q
BIN=target/release/gauntlet
USER_CRED='bench:s3cret-token'
TMP=$(mktemp -d)
trap 'kill $MOCK_PID 2>/dev/null || true; rm -rf "$TMP"' EXIT

$BIN mock --port 0 --user "$USER_CRED" --seed 1 > "$TMP/mock.log" 2>&1 &
MOCK_PID=$!
for _ in $(seq 50); do grep -q listening "$TMP/mock.log" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$TMP/mock.log" | head -1)
AUTH="Authorization: Basic $(printf %s "$USER_CRED" | base64)"

# wrk: 1 thread, 8 connections (gauntlet's default concurrency), one valid request.
/usr/bin/time -f '%U %S' -o "$TMP/wrk.cpu" wrk -t1 -c8 -d5s -H "$AUTH" "$URL/endpoints/sip/3fa85f64-5717-4562-b3fc-2c963f66afa6" > "$TMP/wrk.out"
WRK_RPS=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.out")
WRK_REQS=$(awk '/requests in/ {print $1}' "$TMP/wrk.out")
WRK_CPU=$(awk '{print $1 + $2}' "$TMP/wrk.cpu")
WRK_US=$(awk -v c="$WRK_CPU" -v n="$WRK_REQS" 'BEGIN {printf "%.1f", c * 1e6 / n}')

printf '%-34s %12s %14s %10s %10s %10s\n' "run" "requests/s" "CPU µs/req" "p50 ms" "p99 ms" "peak RSS"
printf '%-34s %12.0f %14s %10s %10s %10s\n' "wrk (loopback limit)" "$WRK_RPS" "$WRK_US" "-" "-" "-"

for N in 10000 100000; do
  /usr/bin/time -f '%U %S %M' -o "$TMP/g.cpu" $BIN run --base-url "$URL" --user "$USER_CRED" \
    --max-examples "$N" --seed 1 --junit "$TMP/junit.xml" > "$TMP/g.out" || true
  LINE=$(grep -E '^(PASS|FAIL)' "$TMP/g.out")
  SCEN=$(echo "$LINE" | grep -oE '^[A-Z]+ [0-9]+' | awk '{print $2}')
  RPS=$(echo "$LINE" | grep -oE '\([0-9]+ req/s' | tr -dc '0-9')
  P50=$(echo "$LINE" | grep -oE 'p50 [0-9.]+' | awk '{print $2}')
  P99=$(echo "$LINE" | grep -oE 'p99 [0-9.]+' | awk '{print $2}')
  read -r U S M < "$TMP/g.cpu"
  US=$(awk -v u="$U" -v s="$S" -v n="$SCEN" 'BEGIN {printf "%.1f", (u + s) * 1e6 / n}')
  printf '%-34s %12s %14s %10s %10s %9.1fM\n' "gauntlet run, $SCEN scenarios" "$RPS" "$US" "$P50" "$P99" "$(awk -v m="$M" 'BEGIN {print m / 1024}')"
  LAST_US=$US; LAST_RPS=$RPS
done
echo
awk -v g="$LAST_RPS" -v w="$WRK_RPS" -v gu="$LAST_US" -v wu="$WRK_US" \
  'BEGIN {printf "ratios gauntlet/wrk: throughput %.2f, client CPU per request %.2f\n", g / w, gu / wu}'
echo
cargo bench -q --bench validate 2>/dev/null | sed 's/^/schema: /'
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
