"""One settings class, read from TRELLIS_* environment variables."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development secrets: published here, so used only when TRELLIS_ENVIRONMENT is set to
# `development` (or `test`) explicitly; production, the default, refuses them and starts only
# with its own. A fixed key so the embedded demo works with no set-up.
DEVELOPMENT_MASTER_KEY = base64.b64encode(b"trellis-development-master-key!!").decode()
# The embedded default's token secret, so `trellis demo` signs in with no set-up. Refused in production.
DEVELOPMENT_JWT_SECRET = "trellis-development-jwt-secret-not-for-production"
# The key of the registry's lookups and the idempotency fingerprints (HMACs). Refused in production.
DEVELOPMENT_SERVER_KEY = base64.b64encode(b"trellis-development-server-key!!").decode()
# The seed of the Ed25519 key that signs the hash chain's checkpoints. Refused in production.
DEVELOPMENT_AUDIT_SIGNING_KEY = base64.b64encode(b"trellis-development-audit-key!!!").decode()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRELLIS_", extra="ignore")

    environment: Literal["development", "test", "production"] = "production"
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
    master_key: SecretStr | None = None  # development: DEVELOPMENT_MASTER_KEY
    previous_master_keys: SecretStr = SecretStr("")  # comma-separated, base64: still unwrap during a rotation
    server_key: SecretStr | None = None  # development: DEVELOPMENT_SERVER_KEY
    key_cache_seconds: float = 60.0
    key_recheck_seconds: float = 1.0
    idempotency_hours: float = 24.0
    erasure_ledger: Path | None = None  # default: erasure-ledger.jsonl in the data directory
    aggregate_cache_size: int = 1000
    jwt_secret: SecretStr | None = None  # development: DEVELOPMENT_JWT_SECRET
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = None  # required with a JWKS, checked whenever set
    jwt_audience: str | None = None  # required with a JWKS, checked whenever set
    jwt_max_token_hours: float = 12.0  # a token whose exp - iat is longer is refused
    run_projections: bool = True
    projections_gather_ms: float = 5.0  # under a stream of writes, projections wait this long to batch them
    audit_signing_key: SecretStr | None = None  # base64 Ed25519 seed: signs checkpoints (development: a published one)
    checkpoint_every_minutes: float = 0.0  # the projection worker signs a checkpoint this often; 0: never
    audit_verify_processes: int = 1  # PostgreSQL: a large history is verified in this many parts at once (1: one stream)
    max_body_bytes: int = 1024 * 1024  # a larger request body is refused (413) before it is read
    max_json_depth: int = 32  # a body nesting deeper is refused (400) before it is parsed
    api_docs: bool | None = None  # /docs and /openapi.json; default: on except in production
    ready_max_lag: int = 1000  # /ready answers 503 while any read model is more events behind than this
    metrics_token: SecretStr | None = None  # the bearer that reads /metrics (unset: open outside production)

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value  # `TRELLIS_METRICS_TOKEN=` in an env file: no token

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.environment == "production":
            _production_secrets(self)
        else:
            self.master_key = self.master_key if self.master_key is not None else SecretStr(DEVELOPMENT_MASTER_KEY)
            self.server_key = self.server_key if self.server_key is not None else SecretStr(DEVELOPMENT_SERVER_KEY)
            if self.audit_signing_key is None:
                self.audit_signing_key = SecretStr(DEVELOPMENT_AUDIT_SIGNING_KEY)
        _check_limits(self)
        _key_bytes("TRELLIS_MASTER_KEY", self.master_key.get_secret_value())
        _key_bytes("TRELLIS_SERVER_KEY", self.server_key.get_secret_value())
        for key in self.previous_master_key_list:
            _key_bytes("TRELLIS_PREVIOUS_MASTER_KEYS", key)
        if self.environment == "production" and self.server_key.get_secret_value() == DEVELOPMENT_SERVER_KEY:
            raise ValueError("the development server key may not be used in production")
        _check_audit_key(self)
        if not 0 < self.key_recheck_seconds <= 5 or self.idempotency_hours <= 0:
            raise ValueError("TRELLIS_KEY_RECHECK_SECONDS is from 0 to 5, TRELLIS_IDEMPOTENCY_HOURS above 0")
        if self.environment == "production" and self.master_key.get_secret_value() == DEVELOPMENT_MASTER_KEY:
            raise ValueError("the development master key may not be used in production")
        if not self.jwt_secret:  # None or empty
            self.jwt_secret = SecretStr(DEVELOPMENT_JWT_SECRET if self.environment != "production" else "")
        if self.environment == "production" and self.jwt_jwks_url is None:
            secret = self.jwt_secret.get_secret_value()
            if secret == DEVELOPMENT_JWT_SECRET or len(secret) < 32:
                raise ValueError("production needs TRELLIS_JWT_SECRET (32+ characters) or TRELLIS_JWT_JWKS_URL")
        if self.ready_max_lag < 0:
            raise ValueError("TRELLIS_READY_MAX_LAG is 0 or more")
        if self.metrics_token is not None and len(self.metrics_token.get_secret_value()) < 32:
            raise ValueError("TRELLIS_METRICS_TOKEN has 32 or more characters")
        if self.database_url is not None:
            url = urlparse(self.database_url.get_secret_value())
            if url.scheme not in ("postgres", "postgresql"):
                raise ValueError("TRELLIS_DATABASE_URL must be a postgresql:// URL")
        return self

    @property
    def development(self) -> bool:
        """Whether the published development secrets may be used: only when set explicitly."""
        return self.environment != "production"

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.development

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
    def audit_signing_key_bytes(self) -> bytes | None:
        """None in production without TRELLIS_AUDIT_SIGNING_KEY: checkpoints cannot be signed."""
        return None if self.audit_signing_key is None else base64.b64decode(self.audit_signing_key.get_secret_value())

    @property
    def erasure_ledger_path(self) -> Path:
        return self.erasure_ledger or self.data_dir / "erasure-ledger.jsonl"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "trellis.sqlite3"


def _production_secrets(settings: Settings) -> None:
    """Production is the default, and starts only with secrets of its own."""
    missing = [name for name, value in (("TRELLIS_MASTER_KEY", settings.master_key),
                                        ("TRELLIS_SERVER_KEY", settings.server_key)) if value is None]
    if settings.jwt_jwks_url is None and not settings.jwt_secret:
        missing.append("TRELLIS_JWT_SECRET (or TRELLIS_JWT_JWKS_URL)")
    if missing:
        raise ValueError(
            f"production (the default environment) needs {', '.join(missing)}; to run with the "
            "published development secrets instead, set TRELLIS_ENVIRONMENT=development")


def _check_limits(settings: Settings) -> None:
    if settings.jwt_jwks_url and not (settings.jwt_issuer and settings.jwt_audience):
        raise ValueError("TRELLIS_JWT_JWKS_URL needs TRELLIS_JWT_ISSUER and TRELLIS_JWT_AUDIENCE, so that a token "
                         "from another issuer or for another service is refused")
    if not 0 < settings.jwt_max_token_hours <= 168:
        raise ValueError("TRELLIS_JWT_MAX_TOKEN_HOURS is above 0 and at most 168 (a week)")
    if not 1024 <= settings.max_body_bytes <= 64 * 1024 * 1024:
        raise ValueError("TRELLIS_MAX_BODY_BYTES is from 1024 to 67108864 (64 MiB)")
    if not 4 <= settings.max_json_depth <= 256:
        raise ValueError("TRELLIS_MAX_JSON_DEPTH is from 4 to 256")


def _check_audit_key(settings: Settings) -> None:
    """The published development key signs nothing in production; scheduled checkpoints need a key."""
    if not 1 <= settings.audit_verify_processes <= 16:
        raise ValueError("TRELLIS_AUDIT_VERIFY_PROCESSES is from 1 to 16")
    if settings.checkpoint_every_minutes < 0:
        raise ValueError("TRELLIS_CHECKPOINT_EVERY_MINUTES is 0 (never) or more")
    if settings.audit_signing_key is None:
        if settings.checkpoint_every_minutes:
            raise ValueError("TRELLIS_CHECKPOINT_EVERY_MINUTES needs TRELLIS_AUDIT_SIGNING_KEY to sign them")
        return
    key = settings.audit_signing_key.get_secret_value()
    _key_bytes("TRELLIS_AUDIT_SIGNING_KEY", key)
    if settings.environment == "production" and key == DEVELOPMENT_AUDIT_SIGNING_KEY:
        raise ValueError("the development audit signing key may not be used in production")


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
        # every load of a cached aggregate reads the events another process saved since
        "AGGREGATE_CACHE_FASTFORWARD": "y",
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
