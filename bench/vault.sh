#!/usr/bin/env bash
# Vault throughput on SQLite and PostgreSQL (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p itmgr-storage --bench vault
