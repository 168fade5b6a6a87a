"""One settings class, read from TRELLIS_* environment variables."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A fixed key so the embedded demo works with no set-up. Refused in production.
DEVELOPMENT_MASTER_KEY = base64.b64encode(b"trellis-development-master-key!!").decode()
# The embedded default's token secret, so `trellis demo` signs in with no set-up. Refused in production.
DEVELOPMENT_JWT_SECRET = "trellis-development-jwt-secret-not-for-production"
# The key of the registry's lookups and the idempotency fingerprints (HMACs). Refused in production.
DEVELOPMENT_SERVER_KEY = base64.b64encode(b"trellis-development-server-key!!").decode()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRELLIS_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    persistence: Literal["sqlite", "postgres", "memory"] = "sqlite"
    data_dir: Path = Path("data")
    database_url: SecretStr | None = None
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: SecretStr = SecretStr("")
    postgres_dbname: str = "trellis"
    postgres_schema: str = ""
    postgres_pool_size: int = 5
    postgres_max_overflow: int = 10
    master_key: SecretStr = SecretStr(DEVELOPMENT_MASTER_KEY)
    previous_master_keys: SecretStr = SecretStr("")  # comma-separated, base64: still unwrap during a rotation
    server_key: SecretStr = SecretStr(DEVELOPMENT_SERVER_KEY)
    key_cache_seconds: float = 60.0
    key_recheck_seconds: float = 1.0
    idempotency_hours: float = 24.0
    erasure_ledger: Path | None = None  # default: erasure-ledger.jsonl in the data directory
    aggregate_cache_size: int = 1000
    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    run_projections: bool = True

    @model_validator(mode="after")
    def _check(self) -> Settings:
        _key_bytes("TRELLIS_MASTER_KEY", self.master_key.get_secret_value())
        _key_bytes("TRELLIS_SERVER_KEY", self.server_key.get_secret_value())
        for key in self.previous_master_key_list:
            _key_bytes("TRELLIS_PREVIOUS_MASTER_KEYS", key)
        if self.environment == "production" and self.server_key.get_secret_value() == DEVELOPMENT_SERVER_KEY:
            raise ValueError("the development server key may not be used in production")
        if not 0 < self.key_recheck_seconds <= 5 or self.idempotency_hours <= 0:
            raise ValueError("TRELLIS_KEY_RECHECK_SECONDS is from 0 to 5, TRELLIS_IDEMPOTENCY_HOURS above 0")
        if self.environment == "production" and self.master_key.get_secret_value() == DEVELOPMENT_MASTER_KEY:
            raise ValueError("the development master key may not be used in production")
        if not self.jwt_secret.get_secret_value() and self.environment != "production":
            self.jwt_secret = SecretStr(DEVELOPMENT_JWT_SECRET)
        if self.environment == "production" and self.jwt_jwks_url is None:
            secret = self.jwt_secret.get_secret_value()
            if secret == DEVELOPMENT_JWT_SECRET or len(secret) < 32:
                raise ValueError("production needs TRELLIS_JWT_SECRET (32+ characters) or TRELLIS_JWT_JWKS_URL")
        if self.database_url is not None:
            url = urlparse(self.database_url.get_secret_value())
            if url.scheme not in ("postgres", "postgresql"):
                raise ValueError("TRELLIS_DATABASE_URL must be a postgresql:// URL")
        return self

    @property
    def master_key_bytes(self) -> bytes:
        return base64.b64decode(self.master_key.get_secret_value())

    @property
    def previous_master_key_list(self) -> list[str]:
        return [k.strip() for k in self.previous_master_keys.get_secret_value().split(",") if k.strip()]

    @property
    def server_key_bytes(self) -> bytes:
        return base64.b64decode(self.server_key.get_secret_value())

    @property
    def erasure_ledger_path(self) -> Path:
        return self.erasure_ledger or self.data_dir / "erasure-ledger.jsonl"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "trellis.sqlite3"


def _key_bytes(name: str, value: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError:
        raise ValueError(f"{name} must be base64-encoded") from None
    if len(key) != 32:
        raise ValueError(f"{name} must be 32 bytes, base64-encoded")
    return key


def eventsourcing_env(settings: Settings, create_table: bool = False) -> dict[str, str]:
    """The `eventsourcing` library's environment for these settings.

    Tables are created only when `create_table` is set: by `trellis db init`, never by
    every worker. POSTGRES_ENABLE_DB_FUNCTIONS is deliberately never set.
    """
    env = {
        "CREATE_TABLE": "y" if create_table else "n",
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
    }
    if settings.persistence == "memory":
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
    elif settings.persistence == "sqlite":
        env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        env["SQLITE_DBNAME"] = str(settings.sqlite_path)
        env["SQLITE_LOCK_TIMEOUT"] = "10"
        # The library's recorder, linking every write into the hash chain.
        env["APPLICATION_RECORDER_TOPIC"] = "api.persistence.recorders:ChainedSQLiteRecorder"
    else:
        env.update(_postgres_env(settings))
    return env


def _postgres_env(settings: Settings) -> dict[str, str]:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_HOST": settings.postgres_host,
        "POSTGRES_PORT": str(settings.postgres_port),
        "POSTGRES_USER": settings.postgres_user,
        "POSTGRES_PASSWORD": settings.postgres_password.get_secret_value(),
        "POSTGRES_DBNAME": settings.postgres_dbname,
        "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": "5",
        # The library's recorder, its writes in one round trip (same lock, transaction and NOTIFY).
        "APPLICATION_RECORDER_TOPIC": "api.persistence.recorders:OneTripRecorder",
    }
    if settings.postgres_schema:
        env["POSTGRES_SCHEMA"] = settings.postgres_schema
    if settings.database_url is not None:
        url = urlparse(settings.database_url.get_secret_value())
        env["POSTGRES_HOST"] = url.hostname or settings.postgres_host
        env["POSTGRES_PORT"] = str(url.port or settings.postgres_port)
        env["POSTGRES_USER"] = unquote(url.username or settings.postgres_user)
        env["POSTGRES_PASSWORD"] = unquote(url.password or "")
        env["POSTGRES_DBNAME"] = url.path.lstrip("/") or settings.postgres_dbname
    return env
