#!/usr/bin/env bash
# Installs a Debian package a test or benchmark drives: `apt-install.sh COMMAND PACKAGE…`.
# Idempotent: does nothing when COMMAND is on the PATH; runs `apt-get update` only when the
# first package is not known to apt yet.
set -euo pipefail

command_name="$1"
shift

if command -v "$command_name" >/dev/null 2>&1; then
  echo "$command_name present: $(command -v "$command_name")"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

if ! apt-cache show "$1" >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
echo "$command_name installed: $(command -v "$command_name")"
