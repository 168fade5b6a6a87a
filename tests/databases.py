"""The test databases: where PostgreSQL is, and whether this run requires it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from api.settings import Settings

PG_DBNAME = os.environ.get("TRELLIS_TEST_POSTGRES_DBNAME", "trellis_test")


def postgres_required() -> bool:
    """Under CI (CI=true or TRELLIS_REQUIRE_POSTGRES=1) an unreachable PostgreSQL fails the run."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or bool(os.environ.get("TRELLIS_REQUIRE_POSTGRES"))


def postgres_settings(**overrides) -> Settings:
    values = {
        "environment": "test", "persistence": "postgres",
        "postgres_host": os.environ.get("TRELLIS_TEST_POSTGRES_HOST", "127.0.0.1"),
        "postgres_port": int(os.environ.get("TRELLIS_TEST_POSTGRES_PORT", "5432")),
        "postgres_user": os.environ.get("TRELLIS_TEST_POSTGRES_USER", "postgres"),
        "postgres_dbname": PG_DBNAME,
        "erasure_ledger": Path(tempfile.mkdtemp(prefix="trellis-ledger-")) / "erasure-ledger.jsonl",
    }
    return Settings(**(values | overrides))
