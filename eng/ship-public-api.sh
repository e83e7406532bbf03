#!/usr/bin/env bash
# Declares the unshipped public API shipped: the release step for every project's PublicAPI files.
# Each PublicAPI.Unshipped.txt line moves into PublicAPI.Shipped.txt; a *REMOVED* line takes its symbol out of
# PublicAPI.Shipped.txt instead. Afterwards every Unshipped file is empty, so the next API change shows up there.
# Run it when a version's API is final (the CHANGELOG names the version), build, and commit the result alone.
set -euo pipefail
cd "$(dirname "$0")/.."

for unshipped in src/*/PublicAPI.Unshipped.txt; do
  shipped="$(dirname "$unshipped")/PublicAPI.Shipped.txt"
  [ -f "$shipped" ] || { echo "$shipped is missing" >&2; exit 1; }
  lines=$(grep -v '^#nullable enable$' "$unshipped" | grep -v '^$' || true)
  removed=$(printf '%s\n' "$lines" | sed -n 's/^\*REMOVED\*//p')
  added=$(printf '%s\n' "$lines" | grep -v '^\*REMOVED\*' || true)
  # A removed symbol that the shipped file does not hold was shipped by a project it has since left (0.2.0's
  # NetworkBuilder.Build() when the torch-free Core package split off): the removal needs no shipped line to drop.
  {
    echo '#nullable enable'
    {
      grep -v '^#nullable enable$' "$shipped" | grep -vxF -f <(printf '%s\n' "$removed" | grep . || echo '#nothing removed#') || true
      if [ -n "$added" ]; then printf '%s\n' "$added"; fi
    } | { grep -v '^$' || true; } | LC_ALL=C sort -u
  } > "$shipped.tmp"
  mv "$shipped.tmp" "$shipped"
  echo '#nullable enable' > "$unshipped"
  echo "$shipped: +$(printf '%s' "$added" | grep -c . || true) -$(printf '%s' "$removed" | grep -c . || true)"
done
