#!/usr/bin/env bash
# Installs the load generator the HTTP benchmark drives: Debian's `wrk`.
# Idempotent: does nothing when wrk is on the PATH; runs `apt-get update` only when the
# package is not known to apt yet.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  echo "wrk present: $(command -v wrk)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

if ! apt-cache show wrk >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
echo "wrk installed: $(command -v wrk)"
