#!/usr/bin/env bash
# Declares the unshipped public API shipped: the release step for every project's PublicAPI files.
# Each PublicAPI.Unshipped.txt line moves into PublicAPI.Shipped.txt; a *REMOVED* line takes its symbol out of
# PublicAPI.Shipped.txt instead. Afterwards every Unshipped file is empty, so the next API change shows up there.
# Run it when a version's API is final (the CHANGELOG names the version), build, and commit the result alone.
# Every new file is written beside its target first and renamed over it only when all are written, so a failure
# leaves the PublicAPI files as they were.
set -euo pipefail
cd "$(dirname "$0")/.."

written=()
trap 'rm -f "${written[@]}"' EXIT
for unshipped in src/*/PublicAPI.Unshipped.txt; do
  shipped="$(dirname "$unshipped")/PublicAPI.Shipped.txt"
  [ -f "$shipped" ] || { echo "$shipped is missing" >&2; exit 1; }
  lines=$(grep -v '^#nullable enable$' "$unshipped" | grep -v '^$' || true)
  removed=$(printf '%s\n' "$lines" | sed -n 's/^\*REMOVED\*//p')
  added=$(printf '%s\n' "$lines" | grep -v '^\*REMOVED\*' || true)
  # A removed symbol that the shipped file does not hold was shipped by a project it has since left (0.2.0's
  # NetworkBuilder.Build() when the torch-free Core package split off): the removal needs no shipped line to drop.
  written+=("$shipped.tmp" "$unshipped.tmp")
  {
    echo '#nullable enable'
    {
      grep -v '^#nullable enable$' "$shipped" | grep -vxF -f <(printf '%s\n' "$removed" | grep . || echo '#nothing removed#') || true
      if [ -n "$added" ]; then printf '%s\n' "$added"; fi
    } | { grep -v '^$' || true; } | LC_ALL=C sort -u
  } > "$shipped.tmp"
  echo '#nullable enable' > "$unshipped.tmp"
  echo "$shipped: +$(printf '%s' "$added" | grep -c . || true) -$(printf '%s' "$removed" | grep -c . || true)"
done

for file in "${written[@]}"; do
  mv "$file" "${file%.tmp}"
done
