#!/usr/bin/env bash
# Prints how many scenarios each generation phase gives for a spec (from a dry run's labels)
# and how long the real run against the built-in mock takes:
#   bash bench/phases.sh [SPEC] [--max-examples N ...]
# Phases: base, one thing broken (parameters, body, credentials), boundaries (positive and
# negative), probes (input, routing, method), random valid examples, case files.
# Figures, not assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${1:-spec/relay-rest.yaml}
shift || true
cargo build --release -q
BIN=target/release/gauntlet
FLAGS=(--spec "$SPEC" --seed 1 --bearer t --api-key k --user a:b "$@")
$BIN run "${FLAGS[@]}" --dry-run 2>/dev/null | python3 -c '
import re, sys
edge = re.compile(r"(^|\.)((minimum|maximum)([+-]1)?|exclusive-(minimum|maximum)([+-]1)?|multiple-of(\*2)?"
    r"|between-multiples|zero|minus-one|int(32|64)-(max|min)([+-]1)?|24-digits|1e30"
    r"|(min|max)-(length|items|properties)([+-]1)?|required-only|with-.*|all-properties"
    r"|undeclared-property|omitted|truncated-json|trailing-garbage|undeclared-content-type"
    r"|nil-uuid|max-uuid|uppercase-uuid|enum-[0-9]+)(:[a-z-]+)?$|items\[")
counts = {}
def add(k): counts[k] = counts.get(k, 0) + 1
for line in sys.stdin:
    parts = line.split()
    if len(parts) != 2 or line.startswith(" "):
        continue
    label = re.sub(r"#[0-9]+$", "", parts[1])
    kind, _, rest = label.partition("/")
    target, _, rule = rest.partition("/")
    if label == "positive/base": add("1 base")
    elif kind == "positive" and target.startswith("random-"): add("5 random valid")
    elif kind == "probe": add("4 probe (input)")
    elif kind == "negative" and target == "route": add("4 probe (routing)")
    elif kind == "negative" and target == "method": add("6 method probes")
    elif kind == "negative" and target == "auth": add("2 one thing broken: credentials")
    elif kind in ("positive", "negative") and (edge.search(rule) or (target == "body" and rule == "empty")):
        add("3 boundary " + kind)
    elif kind == "negative": add("2 one thing broken: " + ("body" if target == "body" else "parameters"))
    elif kind == "chain": add("7 chains")
    else: add("8 case files")
total = sum(counts.values())
for k in sorted(counts): print(f"{k[2:]:<36} {counts[k]:>8}")
print("total".ljust(36), str(total).rjust(8))
'
START=$(date +%s.%N)
$BIN run "${FLAGS[@]}" --quiet --junit /tmp/gauntlet-phases.xml > /tmp/gauntlet-phases.out 2>&1 || true
END=$(date +%s.%N)
grep -E '^(PASS|FAIL)' /tmp/gauntlet-phases.out | cut -c1-120
printf 'wall %.2f s\n' "$(echo "$END - $START" | bc)"
