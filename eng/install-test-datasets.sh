#!/usr/bin/env bash
# Installs the real datasets the tests read, where they are missing: Debian's dataset-fashion-mnist
# (Fashion-MNIST, about 30 MB, MIT licence) under /usr/share/datasets/fashion-mnist.
# Idempotent. Elsewhere than Debian/Ubuntu it says so and exits 1; tests then skip (or, under
# EFFICIENTNET_SHARP_REQUIRE_TESTDATA=1, fail) with a message.
set -euo pipefail

readonly folder=/usr/share/datasets/fashion-mnist

log() { printf 'install-test-datasets: %s\n' "$*" >&2; }

if [ -f "$folder/train-images-idx3-ubyte.gz" ] && [ -f "$folder/t10k-labels-idx1-ubyte.gz" ]; then
  log "Fashion-MNIST is already in $folder."
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get here: install Fashion-MNIST's four IDX files into $folder, or set EFFICIENTNET_SHARP_FASHION_MNIST to their folder."
  exit 1
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

log "installing dataset-fashion-mnist"
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq dataset-fashion-mnist >/dev/null
log "installed into $folder."
