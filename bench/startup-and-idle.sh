#!/usr/bin/env bash
# Start-up time (process start → "ready" log line, fresh SQLite database and
# warm restart) and idle resident memory after 10 s, for the release binary.
# Peers, where installed, are measured in the same run by their own scripts.
set -euo pipefail
bin=${1:-target/release/itmgr}
runs=${RUNS:-5}
tmp=$(mktemp -d); trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

pid=
measure() { # sets $ms (spawn → ready) and $pid; runs in this shell so $pid survives
  local dir=$1 start end
  : > "$dir/log"
  start=$(date +%s%N)
  ITMGR_DATA_DIR=$dir/data DATABASE_URL="sqlite://$dir/data/itmgr.db?mode=rwc" ITMGR_LISTEN=127.0.0.1:0 \
    ITMGR_LOG_FORMAT=json "$bin" serve >/dev/null 2>"$dir/log" &
  pid=$!
  until grep -q "ready at" "$dir/log" 2>/dev/null; do sleep 0.002; done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

cold=(); warm=()
for i in $(seq "$runs"); do
  d=$tmp/run$i; mkdir -p "$d"
  measure "$d"; cold+=("$ms"); stop
  measure "$d"; warm+=("$ms"); stop
done
d=$tmp/idle; mkdir -p "$d"; measure "$d"; sleep 10
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
stop
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "itmgr $("$bin" version | cut -d' ' -f2) on $(nproc) cores"
echo "start-up, fresh database (migrations + first admin): median $(median "${cold[@]}") ms over $runs runs"
echo "start-up, existing database: median $(median "${warm[@]}") ms over $runs runs"
echo "idle RSS after 10 s: $((rss / 1024)) MiB ($rss KiB)"
echo "binary size: $(( $(stat -c %s "$bin") / 1024 / 1024 )) MiB"
