"""`trellis db init`: creates every table once, is safe to repeat, and fails cleanly on bad settings."""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

SQLITE_TABLES = {"stored_events", "stored_snapshots", "trellis_keys"}
POSTGRES_TABLES = {"trellis_events", "trellis_snapshots", "trellis_keys"}


def trellis(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
    clean["TRELLIS_ENVIRONMENT"] = "development"  # production, the default, needs secrets of its own
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=clean | env, capture_output=True, text=True, timeout=120,
    )


def assert_clean_failure(result: subprocess.CompletedProcess, mentions: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: ") and mentions in lines[0]


class TestDbInitOnSQLite:
    def test_creates_every_table_and_can_run_again(self, tmp_path):
        for _ in range(2):
            result = trellis("db", "init", TRELLIS_PERSISTENCE="sqlite", TRELLIS_DATA_DIR=str(tmp_path / "data"))
            assert result.returncode == 0, result.stderr
            assert "initialised sqlite" in result.stdout
        with sqlite3.connect(tmp_path / "data" / "trellis.sqlite3") as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables >= SQLITE_TABLES

    def test_a_second_run_keeps_what_was_written(self, tmp_path):
        env = {"TRELLIS_PERSISTENCE": "sqlite", "TRELLIS_DATA_DIR": str(tmp_path)}
        assert trellis("db", "init", **env).returncode == 0
        with sqlite3.connect(tmp_path / "trellis.sqlite3") as connection:
            connection.execute("INSERT INTO trellis_keys (ref, wrapped) VALUES ('subject:kept', x'00')")
        assert trellis("db", "init", **env).returncode == 0
        with sqlite3.connect(tmp_path / "trellis.sqlite3") as connection:
            assert connection.execute("SELECT count(*) FROM trellis_keys WHERE ref = 'subject:kept'").fetchone() == (1,)


class TestDbInitOnPostgreSQL:
    @pytest.fixture
    def throwaway(self, pg_settings):
        name = f"trellis_cli_{uuid4().hex[:12]}"
        params = {"host": pg_settings.postgres_host, "port": pg_settings.postgres_port, "user": pg_settings.postgres_user}
        env = {
            "TRELLIS_PERSISTENCE": "postgres", "TRELLIS_POSTGRES_HOST": params["host"],
            "TRELLIS_POSTGRES_PORT": str(params["port"]), "TRELLIS_POSTGRES_USER": params["user"],
            "TRELLIS_POSTGRES_DBNAME": name,
        }
        yield name, params, env
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def test_creates_the_database_and_every_table_and_can_run_again(self, throwaway):
        name, params, env = throwaway
        for _ in range(2):
            result = trellis("db", "init", **env)
            assert result.returncode == 0, result.stderr
            assert "initialised postgres" in result.stdout
        with psycopg.connect(dbname=name, **params) as connection:
            tables = {row[0] for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )}
        assert tables >= POSTGRES_TABLES


class TestBadSettings:
    @pytest.mark.parametrize(
        ("master_key", "mentions"),
        [
            ("not base64 at all!", "base64"),
            (base64.b64encode(b"sixteen byte key").decode(), "32 bytes"),
            ("", "TRELLIS_MASTER_KEY"),
        ],
        ids=["not-base64", "wrong-length", "empty"],
    )
    def test_a_bad_master_key_is_one_line_and_a_non_zero_exit(self, tmp_path, master_key, mentions):
        result = trellis(
            "db", "init", TRELLIS_PERSISTENCE="sqlite", TRELLIS_DATA_DIR=str(tmp_path), TRELLIS_MASTER_KEY=master_key,
        )
        assert_clean_failure(result, mentions)
        assert not (tmp_path / "trellis.sqlite3").exists()

    def test_the_development_key_is_refused_in_production(self, tmp_path):
        result = trellis(
            "db", "init", TRELLIS_ENVIRONMENT="production", TRELLIS_PERSISTENCE="sqlite", TRELLIS_DATA_DIR=str(tmp_path),
            TRELLIS_MASTER_KEY=base64.b64encode(b"trellis-development-master-key!!").decode(),
            TRELLIS_SERVER_KEY=base64.b64encode(b"a production server key, 32 byte").decode(),
            TRELLIS_JWT_SECRET="a-production-secret-of-forty-characters!",
        )
        assert_clean_failure(result, "development master key may not be used in production")

    def test_an_unreachable_database_is_one_line_and_a_non_zero_exit(self):
        result = trellis(
            "db", "init", TRELLIS_PERSISTENCE="postgres", TRELLIS_POSTGRES_HOST="127.0.0.1",
            TRELLIS_POSTGRES_PORT="1", TRELLIS_POSTGRES_DBNAME="trellis_nowhere",
        )
        assert_clean_failure(result, "database error")
