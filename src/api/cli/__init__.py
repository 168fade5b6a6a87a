"""The `trellis` command line. Bad input prints a message and exits non-zero.

Each module in this package adds its own sub-commands through `register(subparsers)`;
a handler takes the parsed arguments and the settings and returns the exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import psycopg
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError

from api.cli import audit, db, projections, retention, serve
from api.settings import Settings
from domain.errors import TrellisError

MODULES = (db, projections, serve, retention, audit)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="trellis", description="Mentoring and coaching programmes, event-sourced.")
    sub = top.add_subparsers(dest="command", required=True)
    for module in MODULES:
        module.register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args, Settings())
    except ValidationError as error:
        print(f"trellis: configuration error: {error.errors()[0]['msg']}", file=sys.stderr)
    except TrellisError as error:
        print(f"trellis: {error}", file=sys.stderr)
    except OSError as error:
        print(f"trellis: {error}", file=sys.stderr)
    except (psycopg.Error, PersistenceError) as error:  # e.g. PostgreSQL unreachable: one line, no traceback
        print(f"trellis: database error: {str(error).strip().splitlines()[0]}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2
