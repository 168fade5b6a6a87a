#!/usr/bin/env bash
# Installs the headless browser the end-to-end test drives: Debian's `chromium` (Playwright's
# own browser download is never used).
set -euo pipefail
exec bash "$(dirname "$0")/../../tools/apt-install.sh" chromium chromium fonts-dejavu-core
