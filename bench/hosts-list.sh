#!/usr/bin/env bash
# Host list API latency (p50/p99 with wrk on loopback) at 10,000 and 100,000 hosts, on SQLite and
# PostgreSQL, for the queries the hosts table makes: first page, free-text search, facet filters,
# a tag filter, a sort on another column and a deep page. Every response includes the total and
# the facet counts. Usage: bench/hosts-list.sh [path/to/release/itmgr]
set -euo pipefail
bin=${1:-target/release/itmgr}
sizes=${SIZES:-"10000 100000"}
pg_admin=${ITMGR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
tmp=$(mktemp -d); pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

start() { # $1 = database url
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base=http://127.0.0.1:$port
  : > "$tmp/log"
  DATABASE_URL=$1 ITMGR_DATA_DIR=$tmp/data ITMGR_LISTEN=127.0.0.1:$port ITMGR_MASTER_KEY=$(head -c32 /dev/urandom | base64) \
    ITMGR_ADMIN_PASSWORD=bench-initial-pass-1 ITMGR_RATE_LIMIT_PER_MINUTE=100000000 ITMGR_RATE_LIMIT_BURST=10000000 \
    ITMGR_EMBEDDED_WORKER=false ITMGR_LOG=warn "$bin" serve >/dev/null 2>"$tmp/log" &
  pid=$!
  until curl -sf "$base/api/v1/health" >/dev/null; do sleep 0.1; done
  token=$(curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"bench-initial-pass-1"}' | json "['access_token']")
  curl -sf "$base/api/v1/auth/password" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"current_password":"bench-initial-pass-1","new_password":"bench-changed-pass-2"}' >/dev/null
}

seed() { # $1 = number of hosts, imported 10,000 per request
  local n=$1 chunk=10000 from=0
  while [ "$from" -lt "$n" ]; do
    python3 - "$from" "$chunk" > "$tmp/import.json" <<'PY'
import json, sys
start, count = int(sys.argv[1]), int(sys.argv[2])
envs, oses, roles = ["prod", "stage", "dev", "qa"], ["linux", "windows", "freebsd"], ["web", "db", "cache", "queue", "batch"]
lines = ["name,address,port,os,environment,description,tags"]
for i in range(start, start + count):
    lines.append(f"web-{i:06d},10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256},{22 + i % 3},{oses[i % 3]},{envs[i % 4]},"
                 f"host number {i},role={roles[i % 5]};rack=r{i % 40}")
print(json.dumps({"format": "csv", "content": "\n".join(lines) + "\n"}))
PY
    curl -sf --max-time 600 "$base/api/v1/hosts/import" -H "authorization: Bearer $token" \
      -H 'content-type: application/json' --data-binary @"$tmp/import.json" | json "['summary']['create']" >/dev/null
    from=$((from + chunk))
  done
}

measure() { # $1 label, $2 path
  local out p50 p99 rps
  out=$(wrk -t2 -c8 -d${DURATION:-8}s --latency -H "Authorization: Bearer $token" "$base$2")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out"); p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  [ -n "$non2xx" ] && { echo "  $1: $non2xx non-2xx responses" >&2; exit 1; }
  printf '  %-34s p50 %8s  p99 %8s  %8s req/s\n' "$1" "$p50" "$p99" "$rps"
}

echo "itmgr $("$bin" version | cut -d' ' -f2), $(nproc) cores, wrk -t2 -c8"
for backend in sqlite postgres; do
  for n in $sizes; do
    rm -rf "$tmp/data"; mkdir -p "$tmp/data"
    if [ "$backend" = sqlite ]; then
      url="sqlite://$tmp/data/itmgr.db?mode=rwc"
    else
      db=itmgr_bench_$$_$n
      psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db" -qc "CREATE DATABASE $db" >/dev/null
      url=${pg_admin%/*}/$db
    fi
    start "$url"
    t0=$(date +%s%N); seed "$n"; t1=$(date +%s%N)
    echo "$backend, $n hosts (import took $(( (t1 - t0) / 1000000 )) ms):"
    measure "first page (50, total + facets)" "/api/v1/hosts?limit=50"
    measure "search q=web-0123" "/api/v1/hosts?q=web-0123&limit=50"
    measure "environment=prod&os=linux" "/api/v1/hosts?environment=prod&os=linux&limit=50"
    measure "tag=role=db" "/api/v1/hosts?tag=role=db&limit=50"
    measure "sort=-address" "/api/v1/hosts?sort=-address&limit=50"
    measure "deep page (offset n/2)" "/api/v1/hosts?limit=50&offset=$((n / 2))"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    [ "$backend" = postgres ] && psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  done
done
