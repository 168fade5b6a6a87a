"""`trellis db init`: the one explicit step that creates the database and its tables."""

from __future__ import annotations

import argparse

from api.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="the database").add_subparsers(dest="db_command", required=True)
    db.add_parser("init", help="create the database (PostgreSQL) and every table, once").set_defaults(handler=init)


def init(args: argparse.Namespace, settings: Settings) -> int:
    from api.bootstrap import init_database

    init_database(settings)
    print(f"initialised {settings.persistence} storage")
    return 0
