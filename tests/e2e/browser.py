"""Which browser the end-to-end tests drive, and whether it must be there."""

from __future__ import annotations

import os
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # screenshots; git-ignored
CHROMIUM = os.environ.get("TRELLIS_CHROMIUM", "/usr/bin/chromium")  # Debian's package; never Playwright's download
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def required() -> bool:
    """Under CI (CI=true) a missing browser fails the run; elsewhere the tests skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
