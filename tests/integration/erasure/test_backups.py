"""Backups cannot bring the erased back.

A backup taken before an erasure and restored after it brings the destroyed keys back — so
the test first shows the subject readable again — and `trellis retention reapply` with the
erasure ledger (kept outside the database) erases them again. A backup taken before a
master-key rotation cannot be decrypted once the old master key is gone, while the live
store reads on with the new key alone. The CLI runs as a real process, on both databases.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr
from psycopg import sql

from api.bootstrap import build_app
from domain import ERASED, Case
from erasure_world import plant
from lifecycle import World
from projections.runner import Runner
from retention.keystore import MasterKeys

NEW_MASTER = base64.b64encode(b"a-brand-new-master-key-32-bytes!").decode()


def trellis(settings, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
    config = {"TRELLIS_ENVIRONMENT": "test", "TRELLIS_PERSISTENCE": settings.persistence,
              "TRELLIS_DATA_DIR": str(settings.data_dir), "TRELLIS_ERASURE_LEDGER": str(settings.erasure_ledger_path)}
    if settings.persistence == "postgres":
        config |= {"TRELLIS_POSTGRES_DBNAME": settings.postgres_dbname, "TRELLIS_POSTGRES_HOST": settings.postgres_host,
                   "TRELLIS_POSTGRES_PORT": str(settings.postgres_port), "TRELLIS_POSTGRES_USER": settings.postgres_user}
    result = subprocess.run([sys.executable, "-m", "api.cli", *args], env=clean | config | env,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


class Backup:
    """A copy of the whole database, and its restoring over the live one."""

    def __init__(self, settings, tmp_path: Path) -> None:
        self.settings, self.path = settings, tmp_path / "backup"

    def take(self) -> None:
        if self.settings.persistence == "sqlite":
            with sqlite3.connect(self.settings.sqlite_path) as live, sqlite3.connect(self.path) as copy:
                live.backup(copy)
            return
        dump = subprocess.run(["pg_dump", *self._where(), "--inserts", self.settings.postgres_dbname],
                              check=True, capture_output=True, text=True).stdout
        self.path.write_text(dump)

    def restore(self) -> None:
        if self.settings.persistence == "sqlite":
            with sqlite3.connect(self.path) as copy, sqlite3.connect(self.settings.sqlite_path) as live:
                copy.backup(live)
            return
        admin = {"host": self.settings.postgres_host, "port": self.settings.postgres_port,
                 "user": self.settings.postgres_user}
        name = self.settings.postgres_dbname
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        dump = "\n".join(l for l in self.path.read_text().splitlines() if not l.startswith("\\"))
        with psycopg.connect(dbname=name, autocommit=True, **admin) as conn:
            conn.execute(dump)

    def wrapped(self, ref: str) -> bytes:
        """A key's wrapped bytes as the backup holds them."""
        if self.settings.persistence == "sqlite":
            with sqlite3.connect(self.path) as copy:
                return copy.execute("SELECT wrapped FROM trellis_keys WHERE ref = ?", (ref,)).fetchone()[0]
        line = next(l for l in self.path.read_text().splitlines() if f"'{ref}'" in l and "trellis_keys" in l)
        return bytes.fromhex(line.split("'\\x", 1)[1].split("'", 1)[0])

    def _where(self) -> list[str]:
        s = self.settings
        return ["-h", s.postgres_host, "-p", str(s.postgres_port), "-U", s.postgres_user]


@pytest.fixture
def own_store(request, tmp_path, backend, settings):
    """A database of this test's own (restoring replaces the whole database)."""
    if backend == "sqlite":
        from api.settings import Settings

        own = Settings(environment="test", persistence="sqlite", data_dir=tmp_path / "data",
                       erasure_ledger=tmp_path / "ledger" / "erasure-ledger.jsonl")
    else:
        from databases import postgres_settings

        own = postgres_settings(postgres_dbname=f"{settings.postgres_dbname}_backups",
                                erasure_ledger=tmp_path / "ledger" / "erasure-ledger.jsonl")
        admin = {"host": own.postgres_host, "port": own.postgres_port, "user": own.postgres_user}
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(own.postgres_dbname)))
    assert trellis(own, "db", "init").returncode == 0
    return own


def subject_in(settings, clock):
    app = build_app(settings, clock=clock)
    world = World.create(app)
    mentor_id, mentor = world.mentor(capacity=2)
    subject = plant(app, world, mentor_id, mentor, "subject")
    Runner.for_app(app).catch_up()
    return app, subject


def name_of(settings, clock, subject, **overrides):
    app = build_app(settings.model_copy(update=overrides), clock=clock)
    try:
        return app.load(Case, subject.case_id).details["name"].value
    finally:
        app.close()


class TestARestoredBackupIsErasedAgain:
    def test_reapply_destroys_what_the_backup_brought_back(self, own_store, clock, tmp_path):
        app, subject = subject_in(own_store, clock)
        backup = Backup(own_store, tmp_path)
        try:
            backup.take()
            app.erase(app._plan("ad-hoc", subject.mentee.id))
        finally:
            app.close()
        assert name_of(own_store, clock, subject) is ERASED
        backup.restore()
        assert name_of(own_store, clock, subject) == f"subject {subject.marker}"  # resurrected by the backup
        result = trellis(own_store, "retention", "reapply")
        assert result.returncode == 0, result.stderr
        assert "keys destroyed: 3" in result.stdout and "identity links removed: 1" in result.stdout
        assert name_of(own_store, clock, subject) is ERASED
        again = build_app(own_store, clock=clock)
        try:
            assert again.people.person_for(subject.identity, create=False) is None
        finally:
            again.close()
        assert "keys destroyed: 0" in trellis(own_store, "retention", "reapply").stdout  # once is enough

    def test_reapply_without_a_ledger_says_so_and_changes_nothing(self, own_store, tmp_path):
        result = trellis(own_store, "retention", "reapply", "--ledger", str(tmp_path / "none.jsonl"))
        assert result.returncode == 2 and result.stderr.strip().startswith("trellis: no erasure ledger")


class TestMasterKeyRotation:
    def test_a_backup_from_before_the_rotation_is_unreadable_once_the_old_key_is_gone(self, own_store, clock, tmp_path):
        app, subject = subject_in(own_store, clock)
        app.close()
        backup = Backup(own_store, tmp_path)
        backup.take()
        old_master = own_store.master_key_bytes
        result = trellis(own_store, "keys", "rotate-master", TRELLIS_NEW_MASTER_KEY=NEW_MASTER)
        assert result.returncode == 0, result.stderr
        assert "re-wrapped" in result.stdout
        # the live store reads on with the new key alone
        assert name_of(own_store, clock, subject, master_key=SecretStr(NEW_MASTER)) == f"subject {subject.marker}"
        # the backup's keys open with the old master key, and with the new one alone they never do
        ref = f"subject:{subject.mentee.id}"
        wrapped = backup.wrapped(ref)
        assert MasterKeys(old_master).unwrap(ref, wrapped)
        with pytest.raises(LookupError):
            MasterKeys(base64.b64decode(NEW_MASTER)).unwrap(ref, wrapped)

    def test_a_bad_new_key_is_refused_in_one_line(self, own_store):
        result = trellis(own_store, "keys", "rotate-master", TRELLIS_NEW_MASTER_KEY="not-a-key")
        assert result.returncode == 2 and "TRELLIS_NEW_MASTER_KEY" in result.stderr
