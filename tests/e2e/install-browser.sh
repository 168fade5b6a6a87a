#!/usr/bin/env bash
# Installs the headless browser the end-to-end test drives: Debian's `chromium`.
# Idempotent: does nothing when /usr/bin/chromium exists; runs `apt-get update` only when
# the package is not known to apt yet. Playwright's own browser download is never used.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium present: $(command -v chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

if ! apt-cache show chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium installed: $(command -v chromium)"
