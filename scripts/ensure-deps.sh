#!/usr/bin/env bash
# Installs what `make test` / `make run` need and is missing, or says exactly what to install.
# Usage: ensure-deps.sh node|all
set -euo pipefail
what=${1:-all}
root=false; [ "$(id -u)" = 0 ] && root=true
apt_updated=false
apt_install() {
  if ! $root; then
    echo "ensure-deps: missing $*; install it with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  if ! $apt_updated; then apt-get update -qq >/dev/null; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "ensure-deps: Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi
[ "$what" = node ] && exit 0

if ! command -v cargo >/dev/null; then
  echo "ensure-deps: Rust (cargo) is required: https://rustup.rs" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
# Inventory exports are checked with the real ansible-inventory; playbook runs need ansible-playbook.
if ! command -v ansible-inventory >/dev/null; then
  python3 -m pip install --quiet ansible-core >/dev/null || {
    echo "ensure-deps: ansible-core is required: python3 -m pip install ansible-core" >&2
    exit 1
  }
  hash -r
  command -v ansible-inventory >/dev/null || {
    echo "ensure-deps: installed ansible-core but ansible-inventory is not on PATH (add ~/.local/bin or the pip scripts directory)" >&2
    exit 1
  }
fi
# The SSH test fleet runs real OpenSSH sshd processes on loopback.
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then
  apt_install openssh-server openssh-client
fi
# Ad-hoc runs are tested with sudo (a become password) on the fleet hosts.
command -v sudo >/dev/null || apt_install sudo

# The PostgreSQL suite is not optional: check the server answers.
url=${ITMGR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
hostport=$(sed -E 's#^[a-z]+://([^@/]*@)?([^/?]+).*#\2#' <<<"$url")
host=${hostport%:*}; port=${hostport##*:}; [ "$port" = "$hostport" ] && port=5432
if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  if $root && command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | head -n1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    sleep 2
  fi
  if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "ensure-deps: PostgreSQL does not answer at $host:$port." >&2
    echo "  Start one (e.g. docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16)" >&2
    echo "  or point ITMGR_TEST_DATABASE_URL at a server where the user may CREATE DATABASE." >&2
    exit 1
  fi
fi
echo "ensure-deps: node $(node --version), chromium, sshd, ansible, PostgreSQL at $host:$port: ok"
