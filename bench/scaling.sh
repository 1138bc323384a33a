#!/usr/bin/env bash
# How cost grows with the spec: `gauntlet run` against the built-in mock on synthetic specs of
# N operations (bench/synthetic_spec.py: a uuid path parameter, a query and a JSON body each),
# 20 examples per operation. Prints wall time, run time, requests/s and peak RSS per N, and
# the time ratio of 2,000 to 500 operations (4x the work). Figures, not assertions.
#   bash bench/scaling.sh            # 500 and 2,000 operations
#   bash bench/scaling.sh 500 2000 20000
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
BIN=$PWD/target/release/gauntlet
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(500 2000)
printf '%-12s %12s %10s %12s %12s %10s\n' "operations" "scenarios" "wall s" "run s" "requests/s" "peak RSS"
declare -A WALL
for N in "${SIZES[@]}"; do
  python3 bench/synthetic_spec.py "$N" > "$TMP/spec-$N.json"
  /usr/bin/time -f '%e %M' -o "$TMP/time" "$BIN" run --spec "$TMP/spec-$N.json" --max-examples 20 \
    --seed 1 --junit "$TMP/junit-$N.xml" > "$TMP/out-$N.txt" || true
  read -r WALL_S RSS_KB < "$TMP/time"
  LINE=$(grep -E '^(PASS|FAIL)' "$TMP/out-$N.txt")
  SCEN=$(echo "$LINE" | grep -oE '^[A-Z]+ [0-9]+' | awk '{print $2}')
  RUN_S=$(echo "$LINE" | grep -oE 'in [0-9.]+s' | tr -dc '0-9.')
  RPS=$(echo "$LINE" | grep -oE '\([0-9]+ req/s' | tr -dc '0-9')
  WALL[$N]=$WALL_S
  printf '%-12s %12s %10s %12s %12s %9.1fM\n' "$N" "$SCEN" "$WALL_S" "$RUN_S" "$RPS" "$(awk -v m="$RSS_KB" 'BEGIN {print m / 1024}')"
done
if [ -n "${WALL[500]:-}" ] && [ -n "${WALL[2000]:-}" ]; then
  awk -v a="${WALL[500]}" -v b="${WALL[2000]}" 'BEGIN {printf "time ratio 2,000 / 500 operations: %.2f (4x the work)\n", b / a}'
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
