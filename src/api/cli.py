"""The `trellis` command line. Bad input prints a message and exits non-zero."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from api.settings import Settings
from domain.errors import TrellisError

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        COMMANDS[name] = func
        return func

    return register


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="trellis", description="Mentoring and coaching programmes, event-sourced.")
    sub = top.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="the database").add_subparsers(dest="db_command", required=True)
    db.add_parser("init", help="create the database (PostgreSQL) and every table, once")
    return top


@command("db init")
def db_init(args: argparse.Namespace, settings: Settings) -> int:
    from api.bootstrap import init_database

    init_database(settings)
    print(f"initialised {settings.persistence} storage")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    name = " ".join(v for k, v in vars(args).items() if k.endswith("command") and v)
    try:
        settings = Settings()
        return COMMANDS[name](args, settings)
    except ValidationError as error:
        print(f"trellis: configuration error: {error.errors()[0]['msg']}", file=sys.stderr)
    except TrellisError as error:
        print(f"trellis: {error}", file=sys.stderr)
    except OSError as error:
        print(f"trellis: {error}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
