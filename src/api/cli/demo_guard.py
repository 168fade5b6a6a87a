"""Where `trellis demo` may run: development mode, this machine, and a database of its own.

The demo publishes a sign-in token for every role, administrator included, at the
unauthenticated `/dev/demo-sign-in`, signed with the published development secret. So it
refuses any environment but `development`, refuses to listen beyond the loopback interface,
and on PostgreSQL runs only on a database marked as a demo database: one it created itself
and marked with `COMMENT ON DATABASE … IS 'Trellis demo database …'`. A database made any
other way (by `trellis db init`, by an operator, by a container's POSTGRES_DB) is refused,
whatever its name.
"""

from __future__ import annotations

import ipaddress

from psycopg import sql

from api.bootstrap import ensure_postgres_database, init_database, postgres_server
from api.settings import Settings, eventsourcing_env
from domain.errors import NotAllowed

MARK = "Trellis demo database"
COMMENT = f"{MARK}: created by `trellis demo`; invented people only, published development secrets"


def refuse_unless_demo_may_run(settings: Settings, host: str) -> None:
    if settings.environment != "development":
        raise NotAllowed("trellis demo runs only with TRELLIS_ENVIRONMENT=development: "
                         "it publishes a sign-in token for every role")
    refuse_unless_loopback(host, "trellis demo")


def refuse_unless_loopback(host: str, what: str) -> None:
    """Development secrets let anyone who can reach the server sign in as anyone: this machine only."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise NotAllowed(f"{what} listens on 127.0.0.1, ::1 or localhost only while in development "
                         "(its secrets are published)")


def prepare_demo_database(settings: Settings) -> None:
    """`db init` for the demo: on PostgreSQL, a database it creates and marks, or one it marked before."""
    if settings.persistence == "postgres":
        name = eventsourcing_env(settings)["POSTGRES_DBNAME"]
        if ensure_postgres_database(settings):
            _mark(settings, name)
        elif not is_demo_database(settings, name):
            raise NotAllowed(
                f"the PostgreSQL database {name!r} is not a demo database, so trellis demo will not load or "
                "serve it: name a database that does not exist yet (TRELLIS_POSTGRES_DBNAME) and the demo "
                "creates and marks it")
    init_database(settings)


def is_demo_database(settings: Settings, name: str) -> bool:
    with postgres_server(settings) as conn:
        found = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
    return bool(found and found[0] and found[0].startswith(MARK))


def _mark(settings: Settings, name: str) -> None:
    with postgres_server(settings) as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(COMMENT)))
