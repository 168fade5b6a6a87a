"""`trellis projections ...` sub-commands (to be filled in)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    pass
