#!/usr/bin/env bash
# Benchmark of `iso20k pack` on a 1 GiB evidence set against `sha256sum` + `cp` of the same
# files. Usage: bash benches/pack.sh [WORKDIR]   (default WORKDIR: a fresh temporary directory)
# The evidence set: 64 x 8 MiB and 128 x 2 MiB random files (.pdf, .png: stored in a zip
# as they are) and 256 x 1 MiB CSV files (deflated in a zip), each referenced by a record.
# Prints wall times (best of 3, warm page cache) and the ratio of pack time to baseline time.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
repo="$work/evidence-repo"
cargo build --release --quiet --bin iso20k
bin="$PWD/target/release/iso20k"

if [ ! -f "$repo/registers/service-reports.yaml" ]; then
  mkdir -p "$repo/evidence" "$repo/registers"
  printf '[sms]\noperating_since = 2026-01-05\n' > "$repo/iso20k.toml"
  for i in $(seq 1 64); do head -c 8M /dev/urandom > "$repo/evidence/scan-$i.pdf"; done
  for i in $(seq 1 128); do head -c 2M /dev/urandom > "$repo/evidence/photo-$i.png"; done
  for i in $(seq 1 256); do
    seq $((i * 100000)) $((i * 100000 + 60000)) |
      awk '{printf "%d,2026-%02d-%02d,INC-%05d,resolved within target,%d.%03d\n", $1, $1%12+1, $1%28+1, ($1*7)%99999, $1%97, ($1*31)%1000}' |
      head -c 1M > "$repo/evidence/log-$i.csv" || true   # seq and awk stop on SIGPIPE
  done
  {
    printf 'id: REG-SR\ntitle: Service reports\nkind: register\nrecord_type: service-report\nrecords:\n'
    n=0
    for f in "$repo"/evidence/*; do
      n=$((n + 1))
      printf '  - id: SR-%04d\n    date: 2026-06-%02d\n    title: Report %d\n    evidence: [../evidence/%s]\n' \
        "$n" $((n % 28 + 1)) "$n" "$(basename "$f")"
    done
  } > "$repo/registers/service-reports.yaml"
fi

best() { # best wall time of 3 runs of "$@"
  local best=""
  for _ in 1 2 3; do
    rm -rf "$work/out" "$work/out.zip" "$work/copy"
    local t0 t1 s
    t0=$(date +%s.%N)
    "$@" > /dev/null
    t1=$(date +%s.%N)
    s=$(awk "BEGIN{print $t1 - $t0}")
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
  done
  echo "$best"
}

cat "$repo"/evidence/* > /dev/null   # warm the page cache
bytes=$(du -sb "$repo/evidence" | cut -f1)
baseline=$(best bash -c "sha256sum '$repo'/evidence/* && cp -r '$repo/evidence' '$work/copy'")
dir=$(best "$bin" pack "$repo" --stage 2 --as-of 2026-11-23 -o "$work/out" -q)
zip=$(best "$bin" pack "$repo" --stage 2 --as-of 2026-11-23 -o "$work/out.zip" -q)
rm -rf "$work/out" "$work/out.zip" "$work/copy"
mib=$((bytes / 1048576))
printf 'evidence set: %d MiB in %d files, %d cores\n' "$mib" "$(ls "$repo/evidence" | wc -l)" "$(nproc)"
printf 'sha256sum + cp     %6.2f s  %5.0f MiB/s\n' "$baseline" "$(awk "BEGIN{print $mib / $baseline}")"
printf 'pack (directory)   %6.2f s  %5.0f MiB/s  %.2fx the baseline speed\n' "$dir" "$(awk "BEGIN{print $mib / $dir}")" "$(awk "BEGIN{print $baseline / $dir}")"
printf 'pack (zip)         %6.2f s  %5.0f MiB/s  %.2fx the baseline speed\n' "$zip" "$(awk "BEGIN{print $mib / $zip}")" "$(awk "BEGIN{print $baseline / $zip}")"
