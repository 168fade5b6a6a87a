"""PostgreSQL: the access log can be neither dropped nor altered — its append-only trigger
dropped or disabled, the table renamed — once `trellis db init` has run as a superuser (event
triggers, which only a superuser may create). Run as an ordinary role, init still succeeds,
keeps the row triggers, and warns that the guard is missing. Other tables are not guarded.
(SQLite keeps the whole database in one file: anyone who can drop a table can replace it.)"""

from __future__ import annotations

import json
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from api.bootstrap import init_database
from log_capture import logs_as_json

TABLE = "trellis_access_log"
REFUSED = "append-only"
CHANGES = [
    f"DROP TABLE {TABLE}",
    f"DROP TABLE {TABLE} CASCADE",
    f"DROP TRIGGER {TABLE}_append_only ON {TABLE}",
    f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
    f"ALTER TABLE {TABLE} RENAME TO old_reads",
    f"ALTER TABLE {TABLE} DROP COLUMN reader_id",
]


def _connect(settings, dbname: str | None = None, user: str | None = None) -> psycopg.Connection:
    return psycopg.connect(host=settings.postgres_host, port=settings.postgres_port,
                           user=user or settings.postgres_user, dbname=dbname or settings.postgres_dbname,
                           autocommit=True)


def _triggers(connection) -> set[str]:
    return {r[0] for r in connection.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal", (TABLE,))}


@pytest.mark.parametrize("statement", CHANGES)
def test_a_superusers_init_leaves_the_log_impossible_to_drop_or_alter(pg_settings, statement):
    with _connect(pg_settings) as connection:
        connection.execute(f"INSERT INTO {TABLE} (at, reader_id, reader_role, route, object_kind, object_id) "
                           "VALUES ('2026-06-01T09:30:00.000000+00:00', 'p-kept', 'auditor', 'GET /x', 'case', %s)",
                           (str(uuid4()),))  # a case no one has: in no one's export
        before = connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        with pytest.raises(psycopg.errors.RaiseException, match=REFUSED):
            connection.execute(statement)
        assert connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == before
        assert _triggers(connection) == {f"{TABLE}_append_only"}
        assert connection.execute(f"SELECT tgenabled FROM pg_trigger WHERE tgname = '{TABLE}_append_only'"
                                  ).fetchone()[0] == "O"  # still enabled


def test_other_tables_stay_free_to_change(pg_settings):
    name = f"scratch_{uuid4().hex[:8]}"
    with _connect(pg_settings) as connection:
        connection.execute(f"CREATE TABLE {name} (x int)")
        connection.execute(f"ALTER TABLE {name} ADD COLUMN y int")
        connection.execute(f"DROP TABLE {name}")
        assert connection.execute("SELECT to_regclass(%s)", (name,)).fetchone()[0] is None


def test_an_ordinary_roles_init_succeeds_keeps_the_row_triggers_and_warns(pg_settings):
    role, dbname = f"trellis_plain_{uuid4().hex[:8]}", f"{pg_settings.postgres_dbname}_plain"
    with _connect(pg_settings, "postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        admin.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(dbname), sql.Identifier(role)))
    try:
        plain = pg_settings.model_copy(update={"postgres_dbname": dbname, "postgres_user": role})
        with logs_as_json("INFO") as logs:
            init_database(plain)
        warnings = [json.loads(line) for line in logs.getvalue().splitlines() if "access_log_ddl_unguarded" in line]
        assert len(warnings) == 1 and warnings[0]["level"] == "warning"
        with _connect(plain) as connection:
            assert _triggers(connection) == {f"{TABLE}_append_only"}
            with pytest.raises(psycopg.errors.RaiseException, match=REFUSED):
                connection.execute(f"DELETE FROM {TABLE}")
            connection.execute(f"DROP TABLE {TABLE}")  # the owner may: nothing stops it without the guard
    finally:
        with _connect(pg_settings, "postgres") as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
