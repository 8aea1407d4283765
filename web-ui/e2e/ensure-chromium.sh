#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. CI machines start without it, so install it from
# Debian's archive when it is missing (no browser downloads from anywhere else).
set -euo pipefail
BIN=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$BIN" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
echo "installing chromium with apt-get (for the web UI's browser tests)" >&2
if ! $SUDO apt-get install -y -q chromium >&2; then
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q chromium >&2
fi
test -x "$BIN"
