#!/usr/bin/env bash
# Installs the npm package behind ../shared/tools/tflite-interpreter (TensorFlow Lite's WASM build, pinned
# by its package-lock.json) into a temporary folder — shared/ is read-only in CI — and prints the
# node_modules folder on stdout, for TFLITE_INTERPRETER_MODULES:
#   export TFLITE_INTERPRETER_MODULES=$(eng/install-tflite-interpreter.sh)
# Progress goes to stderr. Exits 1 when node, npm or the tool folder is missing; the tests that run
# the interpreter then skip (or, under EFFICIENTNET_SHARP_REQUIRE_TESTDATA=1, fail) with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'install-tflite-interpreter: %s\n' "$*" >&2; }

testdata=${EFFICIENTNET_SHARP_TESTDATA:-../shared/testdata}
tool="$testdata/../tools/tflite-interpreter"
if [ ! -f "$tool/package-lock.json" ]; then
  log "no $tool/package-lock.json: the shared tools are not next to the repository."
  exit 1
fi

for program in node npm; do
  if ! command -v "$program" >/dev/null 2>&1; then
    log "$program is not installed."
    exit 1
  fi
done

target="${TMPDIR:-/tmp}/effnet-tflite-interpreter"
if [ -d "$target/node_modules/@tensorflow/tfjs-tflite" ] && cmp -s "$tool/package-lock.json" "$target/package-lock.json"; then
  log "already installed in $target."
else
  mkdir -p "$target"
  cp "$tool/package.json" "$tool/package-lock.json" "$target/"
  log "npm ci into $target"
  (cd "$target" && npm ci --no-audit --no-fund --legacy-peer-deps >&2)
fi

printf '%s\n' "$target/node_modules"
