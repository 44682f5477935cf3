#!/usr/bin/env bash
# What running the 1,000,000-line script of scripts/bench-engine.sh costs by itself, by where its output goes:
# the baselines of docs/benchmarks.md (b). Usage: scripts/bench-direct-output.sh [rounds] [lines]
set -euo pipefail
rounds="${1:-3}"
lines="${2:-1000000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cat > "$dir/lines.py" <<'PY'
import sys
n = int(sys.argv[1].split("=")[-1]) if len(sys.argv) > 1 else 200
print("first line")
for i in range(1, n):
    print("line %d" % i)
PY
run="python3 -u $dir/lines.py $lines"
seconds() { local t0 t1; t0=$(date +%s%N); bash -c "$1"; t1=$(date +%s%N); echo "$(( (t1 - t0) / 1000000 ))"; }
declare -A cases=(
  [1-/dev/null]="$run > /dev/null"
  [2-pipe-into-cat]="$run | cat > /dev/null"
  [3-file-in-tmp]="$run > $dir/out.txt"
  [4-file-in-dev-shm]="$run > /dev/shm/bench-direct-\$\$.txt; rm -f /dev/shm/bench-direct-\$\$.txt"
)
if command -v script > /dev/null; then
  cases[5-terminal]="script -qec '$run' /dev/null > /dev/null" # a pseudo-terminal, as in an interactive shell
fi
for round in $(seq "$rounds"); do
  for name in $(printf '%s\n' "${!cases[@]}" | sort); do
    echo "round $round  ${name#*-}  $(seconds "${cases[$name]}") ms"
  done
done
echo "load average at the end: $(cat /proc/loadavg)"
