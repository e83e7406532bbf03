#!/usr/bin/env bash
# One-time machine prerequisite for TorchSharp-cpu 0.107 (libtorch 2.10).
#
# libtorch 2.10 is linked against a C++ runtime that exports GLIBCXX_3.4.32 (GCC 13+).
# Debian 12 ships GCC 12's libstdc++ (GLIBCXX_3.4.30), so TorchSharp fails to load its
# native library ("... doesn't contain a reference to libtorch-cpu-linux-x64"). The fix is
# the libstdc++6 package from Debian 13 (trixie), installed from a trixie apt source pinned
# at priority 100 so that nothing else is upgraded from trixie unless asked for.
#
# Idempotent: it exits at once where the runtime already exports the symbol version.
# The mirror is read from this machine's own apt sources; no host name is written here.
set -euo pipefail

readonly required_symbol="GLIBCXX_3.4.32"

log() { printf 'install-prerequisites: %s\n' "$*" >&2; }

find_libstdcxx() {
  local path
  path=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
  [ -n "$path" ] || path=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 / { print $NF; exit }')
  printf '%s' "$path"
}

runtime_is_new_enough() {
  local lib
  lib=$(find_libstdcxx)
  [ -n "$lib" ] && grep -qa "$required_symbol" "$lib"
}

if [ "$(uname -s)" != "Linux" ]; then
  log "not Linux: nothing to do."
  exit 0
fi

if runtime_is_new_enough; then
  log "C++ runtime already exports $required_symbol: nothing to do."
  exit 0
fi

# shellcheck disable=SC1091
. /etc/os-release
if [ "${ID:-}" != "debian" ]; then
  log "this C++ runtime lacks $required_symbol and this is not Debian (ID=${ID:-unknown})."
  log "Install a libstdc++ from GCC 13 or newer with your distribution's tools, then rerun."
  exit 1
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The first Debian archive mirror named by this machine's apt sources (deb822 or one-line
# format), skipping the security archive, whose suites are named differently.
debian_mirror() {
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
    done
    if [ -f /etc/apt/sources.list ]; then
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' /etc/apt/sources.list
    fi
    for f in /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
    done
  } | grep -E '/debian/?$' | grep -v -- '-security' | head -n 1
}

mirror=$(debian_mirror)
if [ -z "$mirror" ]; then
  log "no Debian archive mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/."
  exit 1
fi

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
log "adding Debian 13 (trixie) from $mirror with pin priority 100"
as_root tee /etc/apt/sources.list.d/efficientnet-sharp-trixie.sources >/dev/null <<SOURCES
Types: deb
URIs: ${mirror%/}
Suites: trixie
Components: main
Signed-By: $keyring
SOURCES
as_root tee /etc/apt/preferences.d/efficientnet-sharp-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN

as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -t trixie libstdc++6 >/dev/null

if runtime_is_new_enough; then
  log "installed: the C++ runtime now exports $required_symbol."
else
  log "libstdc++6 from trixie was installed but $required_symbol is still missing."
  exit 1
fi
