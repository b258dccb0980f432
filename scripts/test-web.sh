#!/usr/bin/env bash
# Web checks: generated API types are current, strict TypeScript, ESLint, Vitest.
set -euo pipefail
cd "$(dirname "$0")/../web"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx openapi-typescript ../openapi.json -o "$tmp/schema.d.ts" >/dev/null
if ! diff -q "$tmp/schema.d.ts" src/api/generated/schema.d.ts >/dev/null; then
  echo "web/src/api/generated/schema.d.ts is stale: run 'make openapi'" >&2
  exit 1
fi
npm run typecheck
npm run lint
npm test
