#!/usr/bin/env bash
# Benchmark of `iso20k check` on synthetic repositories of 1,000 / 10,000 / 100,000 items.
# Usage: bash benches/check.sh [WORKDIR]   (default WORKDIR: a fresh temporary directory)
# Prints wall time (best of 3 warm runs) and peak resident memory for each size.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
cargo build --release --quiet --example gen-sms --bin iso20k
for n in 1000 10000 100000; do
  repo="$work/sms-$n"
  [ -d "$repo" ] || ./target/release/examples/gen-sms --items "$n" "$repo"
  ./target/release/iso20k check "$repo" --as-of 2026-11-23 -q >/dev/null || true   # warm the cache
  best=""
  peak=""
  for _ in 1 2 3; do
    out=$( { /usr/bin/time -f "%e %M" ./target/release/iso20k check "$repo" --as-of 2026-11-23 -q >/dev/null; } 2>&1 | tail -1 )
    wall=${out% *}
    kb=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; fi
    if [ -z "$peak" ] || [ "$kb" -gt "$peak" ]; then peak=$kb; fi
  done
  printf '%7d items: %6.2f s wall (best of 3), %5d MB peak RSS\n' "$n" "$best" $((peak / 1024))
done
