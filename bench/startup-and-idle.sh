#!/usr/bin/env bash
# Start-up time (process start → "ready" log line, fresh SQLite database and
# warm restart) and idle resident memory after 10 s, for the release binary.
# Peers, where installed, are measured in the same run by their own scripts.
set -euo pipefail
bin=${1:-target/release/itmgr}
runs=${RUNS:-5}
tmp=$(mktemp -d); trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

measure() { # prints ms from spawn to ready
  local dir=$1 start end
  start=$(date +%s%N)
  ITMGR_DATA_DIR=$dir/data DATABASE_URL="sqlite://$dir/data/itmgr.db?mode=rwc" ITMGR_LISTEN=127.0.0.1:0 \
    "$bin" serve 2>"$dir/log" & pid=$!
  until grep -q "ready at" "$dir/log" 2>/dev/null; do sleep 0.005; done
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

cold=(); warm=()
for i in $(seq "$runs"); do
  d=$tmp/run$i; mkdir -p "$d"
  cold+=("$(measure "$d")"); kill $pid; wait $pid 2>/dev/null || true
  warm+=("$(measure "$d")"); kill $pid; wait $pid 2>/dev/null || true
done
d=$tmp/idle; mkdir -p "$d"; measure "$d" >/dev/null; sleep 10
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
kill $pid; wait $pid 2>/dev/null || true
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "itmgr $("$bin" version | cut -d' ' -f2) on $(nproc) cores"
echo "start-up, fresh database (migrations + first admin): median $(median "${cold[@]}") ms over $runs runs"
echo "start-up, existing database: median $(median "${warm[@]}") ms over $runs runs"
echo "idle RSS after 10 s: $((rss / 1024)) MiB ($rss KiB)"
echo "binary size: $(( $(stat -c %s "$bin") / 1024 / 1024 )) MiB"
