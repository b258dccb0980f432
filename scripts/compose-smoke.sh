#!/usr/bin/env bash
# The production stack for real: builds the images, starts compose.yaml with two workers and an
# sshd container to manage, logs in through nginx, runs an ad-hoc command and a playbook on the
# managed server, restarts db and backend (then the whole stack) and checks that nothing was lost,
# then tears everything down. Prints the time of each step.
#
# Usage: scripts/compose-smoke.sh            (KEEP=1 leaves the stack running for a look)
# Needs: a Docker engine with `docker compose`, the official base images (on a machine without a
# registry: ../shared/docker/standins.sh builds local stand-ins), curl, jq, ssh-keygen.
# Not part of `make test`: a cold build takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=${SMOKE_PROJECT:-itmgr-smoke}
PORT=${SMOKE_PORT:-18080}
BASE="http://127.0.0.1:$PORT"
WORKERS=2
work=$(mktemp -d /tmp/itmgr-smoke.XXXXXX)
declare -a TIMINGS=()
started_all=$(date +%s.%N)

say() { printf '\n== %s\n' "$*"; }
fail() {
  printf '\nSMOKE FAILED: %s\n' "$*" >&2
  $COMPOSE ps >&2 || true
  $COMPOSE logs --tail=60 >&2 || true
  exit 1
}
# step NAME COMMAND...: runs a step and records how long it took.
step() {
  local name=$1 t0 t1
  shift
  say "$name"
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  TIMINGS+=("$(printf '%-52s %7.1f s' "$name" "$(echo "$t1 - $t0" | bc)")")
}

for tool in docker curl jq ssh-keygen bc; do
  command -v "$tool" >/dev/null || { echo "compose-smoke: $tool is required" >&2; exit 1; }
done
if ! docker info >/dev/null 2>&1; then
  if [ -x ../shared/docker/standins.sh ]; then
    ../shared/docker/standins.sh build
  else
    echo "compose-smoke: no Docker engine answers" >&2
    exit 1
  fi
fi

# Fresh secrets for this run only; nothing is written into the repository.
ssh-keygen -q -t ed25519 -N '' -C itmgr-smoke -f "$work/id_ed25519"
# The first admin password is left to the backend, as in the quick start: it is read from its log.
ADMIN_PASSWORD=
NEW_PASSWORD="Smoke-Second-$(openssl rand -hex 6)"
cat >"$work/env" <<EOF
ITMGR_MASTER_KEY=$(openssl rand -base64 32)
POSTGRES_PASSWORD=$(openssl rand -hex 24)
ITMGR_ADMIN_PASSWORD=
ITMGR_HTTP_PORT=$PORT
ITMGR_PUBLIC_URL=$BASE
ITMGR_WORKER_CONCURRENCY=2
SMOKE_AUTHORIZED_KEY=$(cat "$work/id_ed25519.pub")
EOF
COMPOSE="docker compose -p $PROJECT --env-file $work/env -f compose.yaml -f scripts/smoke/compose.smoke.yaml"

cleanup() {
  local rc=$?
  if [ "${KEEP:-0}" = 1 ]; then
    echo "KEEP=1: the stack is still up ($COMPOSE); $work holds its env file and key"
  else
    $COMPOSE down -v --remove-orphans >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  exit $rc
}
trap cleanup EXIT
$COMPOSE down -v --remove-orphans >/dev/null 2>&1 || true

# ---- helpers over the public entry point (nginx) ----------------------------------------------
TOKEN=
api() { # api METHOD PATH [JSON] -> body on stdout; fails on a non-2xx status
  local method=$1 path=$2 body=${3:-} out status
  out=$(curl -sS -o "$work/body" -w '%{http_code}' -X "$method" "$BASE$path" \
    -H 'content-type: application/json' ${TOKEN:+-H "authorization: Bearer $TOKEN"} \
    ${body:+--data "$body"}) || return 1
  status=$out
  if [ "${status:0:1}" != 2 ]; then
    echo "$method $path -> $status $(cat "$work/body")" >&2
    return 1
  fi
  cat "$work/body"
}
wait_ready() { # until /api/v1/ready answers 200 through nginx
  local deadline=$(($(date +%s) + ${1:-240}))
  until curl -fsS -o /dev/null "$BASE/api/v1/ready" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "the stack did not become ready at $BASE"
    sleep 1
  done
}
wait_healthy() { # every container of SERVICES reports healthy
  local deadline=$(($(date +%s) + 180)) service id state
  for service in "$@"; do
    for id in $($COMPOSE ps -q "$service"); do
      while state=$(docker inspect -f '{{.State.Health.Status}}' "$id") && [ "$state" != healthy ]; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "$service ($id) is $state"
        sleep 1
      done
    done
  done
}
login() {
  TOKEN=$(api POST /api/v1/auth/login "$(jq -nc --arg p "$1" '{username: "admin", password: $p}')" | jq -r .access_token)
  [ -n "$TOKEN" ] && [ "$TOKEN" != null ] || fail "login failed"
}
wait_run() { # wait_run ID -> final status
  local deadline=$(($(date +%s) + 180)) status
  while :; do
    status=$(api GET "/api/v1/runs/$1" | jq -r .status)
    case $status in queued | running) ;; *) echo "$status"; return ;; esac
    [ "$(date +%s)" -lt "$deadline" ] || fail "run $1 still $status"
    sleep 0.5
  done
}
# What must survive restarts: counts, the runs' statuses and their logs.
state_digest() {
  {
    api GET '/api/v1/hosts?limit=100&sort=name' | jq -c '[.items[] | {id, name, address, host_key_fingerprint}]'
    api GET /api/v1/secrets | jq -c '[.items[] | {id, name, kind}]'
    api GET /api/v1/playbooks | jq -c '[.items[] | {id, name, current_version}]'
    api GET '/api/v1/runs?limit=100' | jq -c '[.items[] | {id, status, kind}]'
    for id in $(api GET '/api/v1/runs?limit=100' | jq -r '.items[].id'); do
      api GET "/api/v1/runs/$id/log.txt" | sha256sum
    done
  } | sha256sum | cut -c1-16
}

# ---- the steps ---------------------------------------------------------------------------------
build() { $COMPOSE build >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "build"; }; }
up() {
  $COMPOSE up -d --scale worker=$WORKERS
  wait_ready
  wait_healthy db backend worker frontend
}
check_containers() {
  # Migrations ran once, in their own container, before backend and workers started.
  [ "$(docker inspect -f '{{.State.ExitCode}}' "$($COMPOSE ps -q migrate)")" = 0 ] || fail "migrate did not succeed"
  local service
  for service in backend worker frontend; do
    local id uid
    id=$($COMPOSE ps -q "$service" | head -1)
    uid=$(docker exec "$id" id -u)
    [ "$uid" != 0 ] || fail "$service runs as root"
    [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")" = true ] || fail "$service has a writable root file system"
    echo "$service: uid $uid, read-only root file system"
  done
  [ "$($COMPOSE ps -q worker | wc -l)" = "$WORKERS" ] || fail "expected $WORKERS workers"
  # A malformed master key stops the backend before it serves anything.
  local out
  if out=$($COMPOSE run --rm --no-deps -e ITMGR_MASTER_KEY=not-a-key backend itmgr serve 2>&1); then
    fail "the backend started with a malformed master key"
  fi
  grep -q 'ITMGR_MASTER_KEY' <<<"$out" || fail "no clear message for a malformed master key: $out"
  echo "malformed master key refused: $(grep -o 'ITMGR_MASTER_KEY.*' <<<"$out" | head -1)"
}
first_login() {
  ADMIN_PASSWORD=$($COMPOSE logs --no-color backend | grep -oE 'initial password [A-Za-z0-9]+' | head -1 | cut -d' ' -f3)
  [ -n "$ADMIN_PASSWORD" ] || fail "the backend did not print a first password"
  login "$ADMIN_PASSWORD"
  api POST /api/v1/auth/password "$(jq -nc --arg a "$ADMIN_PASSWORD" --arg b "$NEW_PASSWORD" '{current_password: $a, new_password: $b}')" >/dev/null
  login "$NEW_PASSWORD"
  # The UI itself is served by nginx, with the backend's security headers.
  curl -fsS -D "$work/headers" "$BASE/" | grep -q '<div id="root">' || fail "no UI at $BASE/"
  grep -qi '^content-security-policy:' "$work/headers" || fail "no CSP on the UI"
}
HOST_ID=
add_host() {
  api POST /api/v1/secrets "$(jq -nc --rawfile k "$work/id_ed25519" '{name: "smoke-key", kind: "ssh_key", value: $k}')" >/dev/null
  api POST /api/v1/secrets '{"name":"smoke-login","kind":"ssh_credential","username":"deploy","key_secret":"smoke-key"}' >/dev/null
  HOST_ID=$(api POST /api/v1/hosts '{"name":"smoke-target","address":"target","port":22,"credential":"smoke-login","check_method":"ssh","tags":{"env":"smoke"}}' | jq -r .id)
  # An SSH check records the host key (trust on first use) and reports the host online.
  api POST "/api/v1/hosts/$HOST_ID/check" >/dev/null
  local deadline=$(($(date +%s) + 60)) status
  until status=$(api GET "/api/v1/hosts/$HOST_ID" | jq -r .status) && [ "$status" = online ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "the managed server is $status: $(api GET "/api/v1/hosts/$HOST_ID" | jq -r .last_error)"
    sleep 0.5
  done
  api GET "/api/v1/hosts/$HOST_ID" | jq -r '"online, host key " + .host_key_fingerprint'
}
adhoc() {
  local run status
  run=$(api POST /api/v1/runs/commands "$(jq -nc --arg h "$HOST_ID" '{targets: {hosts: [$h]}, command: "echo smoke-$(id -un)-$(hostname)"}')" | jq -r .id)
  status=$(wait_run "$run")
  [ "$status" = succeeded ] || fail "ad-hoc run $run: $status"
  api GET "/api/v1/runs/$run/log.txt" | grep -q 'smoke-deploy-' || fail "ad-hoc output missing"
  echo "ad-hoc run $run: $status; $($COMPOSE logs worker 2>/dev/null | grep -c "$run") worker log lines"
}
playbook() {
  local pb run status content
  content=$'- hosts: all\n  gather_facts: false\n  tasks:\n    - name: Write a marker\n      copy:\n        dest: /tmp/itmgr-smoke-marker\n        content: "written by {{ itmgr_run_id | default(\'itmgr\') }}\\n"\n    - name: Read it back\n      command: cat /tmp/itmgr-smoke-marker\n      register: marker\n      changed_when: false\n    - debug:\n        var: marker.stdout\n'
  pb=$(api POST /api/v1/playbooks "$(jq -nc --arg c "$content" '{name: "smoke", content: $c}')" | jq -r .id)
  run=$(api POST "/api/v1/playbooks/$pb/launch" "$(jq -nc --arg h "$HOST_ID" '{targets: {hosts: [$h]}}')" | jq -r .id)
  status=$(wait_run "$run")
  [ "$status" = succeeded ] || { api GET "/api/v1/runs/$run/log.txt" | tail -20; fail "playbook run $run: $status"; }
  api GET "/api/v1/runs/$run/log.txt" | grep -q 'ok=3' || fail "no play recap with ok=3"
  $COMPOSE exec -T target cat /tmp/itmgr-smoke-marker | grep -q 'written by' || fail "the marker file is missing on the server"
  echo "playbook run $run: $status; marker present on the managed server"
  PLAYBOOK_RUN=$run
}
PLAYBOOK_RUN=
browser() {
  # The UI in Chromium through nginx: login, then the web terminal to the managed server.
  if [ ! -d web/node_modules/playwright-core ] || [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    echo "SKIPPED: needs web/node_modules (make web-deps) and Debian's chromium"
    return
  fi
  SMOKE_BASE=$BASE SMOKE_PASSWORD=$NEW_PASSWORD SMOKE_HOST=smoke-target node web/e2e/compose-ui.mjs
}
streams() {
  # SSE through nginx: a finished run's stream replays its output, then its final state, and ends.
  curl -sS -N --max-time 20 -H "authorization: Bearer $TOKEN" "$BASE/api/v1/runs/$PLAYBOOK_RUN/events" >"$work/sse"
  grep -q '^event: output' "$work/sse" && grep -q '^event: run' "$work/sse" || fail "no SSE through nginx"
  echo "SSE: $(grep -c '^event: output' "$work/sse") output events, then the run's end"
  # WebSocket upgrade through nginx to the terminal endpoint, from the product's own origin.
  local head
  head=$(curl -sS -i --max-time 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
    -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
    -H "Origin: $BASE" "$BASE/api/v1/terminal/ws" 2>/dev/null | head -1 || true)
  grep -q ' 101 ' <<<"$head" || fail "no WebSocket upgrade through nginx: $head"
  echo "WebSocket: $head" | tr -d '\r'
}
spread() {
  # Eight runs at once: both workers take some (each worker runs 2 at a time).
  local runs=() run owners
  for i in 1 2 3 4 5 6 7 8; do
    runs+=("$(api POST /api/v1/runs/commands "$(jq -nc --arg h "$HOST_ID" --arg c "sleep 1; echo spread-$i" '{targets: {hosts: [$h]}, command: $c}')" | jq -r .id)")
  done
  for run in "${runs[@]}"; do
    [ "$(wait_run "$run")" = succeeded ] || fail "run $run did not succeed"
  done
  owners=$($COMPOSE logs --no-color worker 2>/dev/null | grep '"job started"' | grep -oE '"owner":"[^"]+"' | sort -u | wc -l)
  echo "8 runs succeeded, taken by $owners worker processes"
  [ "$owners" -ge 2 ] || fail "the runs were not spread over the workers"
}
DIGEST=
remember() { DIGEST=$(state_digest); echo "state digest $DIGEST"; }
restart_db_and_backend() {
  $COMPOSE restart db backend
  wait_ready
  wait_healthy db backend worker
  login "$NEW_PASSWORD"
  local now
  now=$(state_digest)
  [ "$now" = "$DIGEST" ] || fail "data changed across the restart ($DIGEST -> $now)"
  echo "state digest $now: unchanged"
  # And the stack still works: the workers reconnected to the restarted database.
  adhoc
  DIGEST=$(state_digest)
}
down_and_up() {
  $COMPOSE down
  $COMPOSE up -d --scale worker=$WORKERS
  wait_ready
  wait_healthy db backend worker frontend
  login "$NEW_PASSWORD"
  local now
  now=$(state_digest)
  [ "$now" = "$DIGEST" ] || fail "data changed across down/up ($DIGEST -> $now)"
  echo "state digest $now: unchanged (named volumes kept everything)"
}

migrate_data_both_ways() {
  # The stack's PostgreSQL data → a SQLite file → a new PostgreSQL database, with the commands of
  # docs/DEPLOY.md, inside the images: every table arrives with the same number of rows.
  local pg="postgres://itmgr:$(grep ^POSTGRES_PASSWORD= "$work/env" | cut -d= -f2)@db:5432"
  mkdir -p "$work/old"
  $COMPOSE exec -T db createdb -U itmgr moved
  $COMPOSE run --rm --no-deps --user 0 -v "$work/old:/old" migrate \
    itmgr migrate-data --from "$pg/itmgr" --to sqlite:///old/itmgr.db >"$work/to-sqlite.txt"
  $COMPOSE run --rm --no-deps --user 0 -v "$work/old:/old" migrate \
    itmgr migrate-data --from sqlite:///old/itmgr.db --to "$pg/moved" >"$work/to-pg.txt"
  grep '^copied' "$work/to-sqlite.txt" >"$work/a"
  grep '^copied' "$work/to-pg.txt" >"$work/b"
  diff "$work/a" "$work/b" || fail "the two copies differ"
  [ "$(wc -l <"$work/a")" -ge 25 ] || fail "not every table was copied"
  grep '^done:' "$work/to-pg.txt"
  local runs
  runs=$($COMPOSE exec -T db psql -U itmgr -d moved -tAc 'select count(*) from runs')
  [ "$runs" -ge 11 ] || fail "the moved database has $runs runs"
  echo "moved database: $runs runs, $(grep -c . "$work/a") tables, identical counts both ways"
}

resources() {
  # Idle footprint of each container after the runs above (as docker stats reports it).
  docker stats --no-stream --format '{{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}' $($COMPOSE ps -q) | sort | column -t
  docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep '^itmgr-' | sort | column -t
}

step "build images (compose build)" build
step "up: db, migrate, backend, $WORKERS workers, frontend, target" up
step "containers: non-root, read-only, migrations, key check" check_containers
step "log in through nginx, change the first password" first_login
step "add the sshd container as a host (SSH check)" add_host
step "ad-hoc command through a worker" adhoc
step "playbook through a worker" playbook
step "live streams through nginx (SSE, WebSocket)" streams
step "the UI in Chromium: login, web terminal to the server" browser
step "8 concurrent runs spread over $WORKERS workers" spread
step "record the state" remember
step "restart db and backend; nothing lost" restart_db_and_backend
step "down and up again (volumes kept); nothing lost" down_and_up
step "migrate-data: PostgreSQL -> SQLite -> PostgreSQL" migrate_data_both_ways
step "resources" resources

total=$(echo "$(date +%s.%N) - $started_all" | bc)
say "compose smoke test passed"
printf '%s\n' "${TIMINGS[@]}"
printf '%-52s %7.1f s\n' "total" "$total"
