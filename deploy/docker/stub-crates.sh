#!/bin/sh
# Gives every workspace crate empty sources, so that `cargo build` compiles only the dependencies.
# That layer stays cached until a Cargo.toml or Cargo.lock changes; editing code rebuilds only
# our crates.
set -eu
for manifest in crates/*/Cargo.toml; do
  dir=${manifest%/Cargo.toml}
  mkdir -p "$dir/src"
  if grep -q '^\[\[bin\]\]' "$manifest"; then
    echo 'fn main() {}' > "$dir/src/main.rs"
  else
    : > "$dir/src/lib.rs"
  fi
  # Declared [[bench]] targets must exist for cargo to load the workspace at all.
  for bench in $(sed -n '/^\[\[bench\]\]/{n;s/^name = "\(.*\)"$/\1/p;}' "$manifest"); do
    mkdir -p "$dir/benches"
    echo 'fn main() {}' > "$dir/benches/$bench.rs"
  done
done
