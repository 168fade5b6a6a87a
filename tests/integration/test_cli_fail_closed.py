"""Fail closed: with no environment set Trellis is in production, which starts only with
secrets of its own; the demo runs in development alone, on this machine alone, and on
PostgreSQL only on a database it made and marked itself."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from api.cli.demo_guard import is_demo_database, prepare_demo_database
from api.settings import Settings
from domain import NotAllowed

SECRETS = {  # a production's own: none of them the development ones
    "TRELLIS_MASTER_KEY": base64.b64encode(b"an operator's own master key, 32").decode(),
    "TRELLIS_SERVER_KEY": base64.b64encode(b"an operator's own server key, 32").decode(),
    "TRELLIS_JWT_SECRET": "an-operator's-own-token-secret-of-40-chars",
}


def trellis(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`trellis …` as a fresh clone runs it: no TRELLIS_ variable but those given."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], env=clean | env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def refusal(result: subprocess.CompletedProcess) -> str:
    """The one line a refusal prints; no traceback, a non-zero exit."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: "), result.stderr
    return lines[0]


class TestProductionIsTheDefault:
    def test_serve_with_no_environment_refuses_to_start_without_secrets(self, tmp_path):
        line = refusal(trellis("serve", "--port", "1", TRELLIS_DATA_DIR=str(tmp_path)))
        for needed in ("production", "TRELLIS_MASTER_KEY", "TRELLIS_SERVER_KEY", "TRELLIS_JWT_SECRET",
                       "TRELLIS_ENVIRONMENT=development"):
            assert needed in line
        assert not list(tmp_path.iterdir())  # nothing was created

    def test_every_command_refuses_without_them(self, tmp_path):
        for command in (["db", "init"], ["demo"], ["token", "--sub", "a", "--role", "administrator"],
                        ["projections", "run"]):
            assert "TRELLIS_ENVIRONMENT=development" in refusal(trellis(*command, TRELLIS_DATA_DIR=str(tmp_path)))

    def test_the_development_secrets_are_used_only_when_development_is_set(self, monkeypatch):
        monkeypatch.delenv("TRELLIS_ENVIRONMENT", raising=False)
        assert Settings(**{k.removeprefix("TRELLIS_").lower(): v for k, v in SECRETS.items()}).environment == "production"
        development = Settings(environment="development")
        assert development.master_key_bytes == b"trellis-development-master-key!!"

    def test_a_token_lives_at_most_twelve_hours_in_production(self, tmp_path):
        production = SECRETS | {"TRELLIS_DATA_DIR": str(tmp_path)}
        line = refusal(trellis("token", "--sub", "admin-1", "--role", "administrator", "--hours", "100000",
                               **production))
        assert "at most 12 hours" in line
        assert trellis("token", "--sub", "admin-1", "--role", "administrator", **production).returncode == 0


class TestTheDemo:
    @pytest.mark.parametrize("environment", ["production", "test"])
    def test_refuses_any_environment_but_development(self, tmp_path, environment):
        line = refusal(trellis("demo", TRELLIS_ENVIRONMENT=environment, TRELLIS_DATA_DIR=str(tmp_path), **SECRETS))
        assert "TRELLIS_ENVIRONMENT=development" in line
        assert not list(tmp_path.iterdir())

    @pytest.mark.parametrize("command", ["demo", "serve"])
    @pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "example.org"])
    def test_development_listens_on_this_machine_only(self, tmp_path, command, host):
        line = refusal(trellis(command, "--host", host, TRELLIS_ENVIRONMENT="development",
                               TRELLIS_DATA_DIR=str(tmp_path)))
        assert "127.0.0.1" in line
        assert not list(tmp_path.iterdir())


class TestTheDemoOnPostgreSQL:
    @pytest.fixture
    def database(self, pg_settings):
        name = f"trellis_demo_{uuid4().hex[:12]}"
        settings = pg_settings.model_copy(update={"environment": "development", "postgres_dbname": name})
        yield settings
        params = {"host": settings.postgres_host, "port": settings.postgres_port, "user": settings.postgres_user}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def environment(self, settings: Settings) -> dict[str, str]:
        return {"TRELLIS_ENVIRONMENT": "development", "TRELLIS_PERSISTENCE": "postgres",
                "TRELLIS_POSTGRES_HOST": settings.postgres_host, "TRELLIS_POSTGRES_PORT": str(settings.postgres_port),
                "TRELLIS_POSTGRES_USER": settings.postgres_user, "TRELLIS_POSTGRES_DBNAME": settings.postgres_dbname}

    def test_refuses_a_database_it_did_not_make_and_loads_nothing_into_it(self, database):
        env = self.environment(database)
        assert trellis("db", "init", **env).returncode == 0  # a database an operator made
        line = refusal(trellis("demo", **env))
        assert "not a demo database" in line
        params = {"host": database.postgres_host, "port": database.postgres_port, "user": database.postgres_user}
        with psycopg.connect(dbname=database.postgres_dbname, **params) as connection:
            assert connection.execute("SELECT count(*) FROM trellis_events").fetchone() == (0,)
            assert connection.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
            ).fetchone() == (None,)

    def test_marks_the_database_it_makes_and_may_use_it_again(self, database):
        prepare_demo_database(database)
        params = {"host": database.postgres_host, "port": database.postgres_port, "user": database.postgres_user}
        with psycopg.connect(dbname="postgres", **params) as connection:
            (comment,) = connection.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (database.postgres_dbname,)).fetchone()
        assert comment.startswith("Trellis demo database")
        assert is_demo_database(database, database.postgres_dbname)
        prepare_demo_database(database)  # a second demo run finds its own database

    def test_a_database_made_by_db_init_is_not_a_demo_database(self, pg_settings):
        settings = pg_settings.model_copy(update={"environment": "development"})
        assert not is_demo_database(settings, settings.postgres_dbname)
        with pytest.raises(NotAllowed, match="not a demo database"):
            prepare_demo_database(settings)
