"""`python -m bench`: every suite module that exists, in order, with their options combined."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from bench import SUITES
from bench.common import add_common_arguments


def present_suites() -> list:
    return [importlib.import_module(f"bench.{name}") for name in SUITES if importlib.util.find_spec(f"bench.{name}")]


def main(argv: list[str] | None = None) -> int:
    suites = present_suites()
    parser = argparse.ArgumentParser(prog="python -m bench", description="Trellis beside raw PostgreSQL.")
    add_common_arguments(parser)
    for suite in suites:
        suite.add_arguments(parser)
    args = parser.parse_args(argv)
    missed = [suite.__name__ for suite in suites if not suite.run(args)]
    if missed:
        print(f"\ntargets missed or not judged in: {', '.join(missed)}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
