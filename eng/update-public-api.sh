#!/usr/bin/env bash
# Brings src/*/PublicAPI.Unshipped.txt in line with the code, from the public-API analyzer's own
# diagnostics: RS0016 (public symbol not declared) adds the line, RS0017 (declared symbol gone)
# removes it. Review the resulting diff: it is the library's API change. Shipped APIs (PublicAPI.Shipped.txt,
# 0.3.0) are never edited here: removing one is a breaking change, made by hand with a *REMOVED* line in the
# unshipped file. eng/ship-public-api.sh moves the unshipped lines into the shipped files at a release.
set -euo pipefail
cd "$(dirname "$0")/.."

for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$unshipped" ] || continue
  # Only this project's diagnostics: building it also builds (and reports) the projects it references.
  log=$(dotnet build "$project" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 | grep -F "[$PWD/$project]" || true)
  added=$(printf '%s\n' "$log" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
  removed=$(printf '%s\n' "$log" | grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but)" | sort -u || true)
  {
    echo '#nullable enable'
    {
      grep -v '^#nullable enable$' "$unshipped" | grep -vxF -f <(printf '%s\n' "$removed") || true
      if [ -n "$added" ]; then printf '%s\n' "$added"; fi
    } | { grep -v '^$' || true; } | LC_ALL=C sort -u
  } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
  echo "$unshipped: +$(printf '%s' "$added" | grep -c . || true) -$(printf '%s' "$removed" | grep -c . || true)"
done
