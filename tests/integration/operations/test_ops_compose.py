"""docker-compose.yml, read as YAML (Docker is not needed): PostgreSQL, a one-off
`trellis db init`, the API with two workers and the projection worker; each long-running
service with a healthcheck; start order by conditions; secrets from the env file alone, whose
committed example holds none; and every command a command line the `trellis` parser accepts."""

from __future__ import annotations

import base64
import os
import re
import secrets
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from api.cli import parser
from api.settings import Settings

ROOT = Path(__file__).parents[3]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
TRELLIS_SERVICES = ("init", "api", "projections")
LONG_RUNNING = ("postgres", "api", "projections")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|KEY|TOKEN", re.IGNORECASE)


def env_example() -> dict[str, str]:
    pairs = [line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def trellis_args(service: str):
    command = SERVICES[service]["command"]
    assert command[0] == "trellis", service
    try:
        return parser().parse_args(command[1:])
    except SystemExit:
        pytest.fail(f"{service}: the trellis command line refuses {command[1:]}")


def probed_port(service: str) -> tuple[int, str]:
    found = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", " ".join(SERVICES[service]["healthcheck"]["test"]))
    assert found, service
    return int(found.group(1)), found.group(2)


class TestTheServices:
    def test_postgresql_the_one_off_init_the_api_and_the_projection_worker(self):
        assert set(SERVICES) == {"postgres", "init", "api", "projections"}
        assert SERVICES["postgres"]["image"].startswith("postgres:")
        assert SERVICES["init"]["restart"] == "no"

    @pytest.mark.parametrize("service", LONG_RUNNING)
    def test_each_long_running_service_has_a_healthcheck(self, service):
        check = SERVICES[service]["healthcheck"]
        assert check["test"] and check["interval"] and check["retries"] >= 1

    def test_init_waits_for_a_healthy_database_and_the_others_for_init_to_have_succeeded(self):
        assert SERVICES["init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        for service in ("api", "projections"):
            assert SERVICES[service]["depends_on"]["init"] == {"condition": "service_completed_successfully"}
            assert SERVICES[service]["depends_on"]["postgres"] == {"condition": "service_healthy"}


class TestEveryCommandIsTheCommandLines:
    def test_init_creates_the_tables(self):
        args = trellis_args("init")
        assert (args.command, args.db_command) == ("db", "init")

    def test_the_api_runs_two_workers_without_projections_and_its_healthcheck_asks_if_ready(self):
        args = trellis_args("api")
        assert args.command == "serve" and args.workers == 2 and args.no_projections
        assert probed_port("api") == (args.port, "/ready")
        assert f"127.0.0.1:{args.port}:{args.port}" in SERVICES["api"]["ports"]

    def test_the_projection_worker_serves_its_health_where_its_healthcheck_looks(self):
        args = trellis_args("projections")
        assert (args.command, args.projections_command) == ("projections", "run")
        assert probed_port("projections") == (args.metrics_port, "/health")
        assert args.metrics_host == "0.0.0.0"  # reachable by a scraper on the compose network

    def test_a_flag_the_command_line_lacks_would_be_caught(self):
        with pytest.raises(SystemExit):
            parser().parse_args(["serve", "--workers", "2", "--no-such-flag"])


class TestSecretsComeFromTheEnvFile:
    @pytest.mark.parametrize("service", list(SERVICES))
    def test_every_service_reads_the_env_file_and_names_no_secret_inline(self, service):
        env_file = SERVICES[service]["env_file"]
        assert ".env" in ([env_file] if isinstance(env_file, str) else env_file)
        inline = SERVICES[service].get("environment", {})
        assert not [name for name in inline if SECRET_NAME.search(name)], inline
        assert "TRELLIS_ENVIRONMENT" not in inline  # the env file says production

    def test_the_example_is_production_and_holds_no_secret(self):
        example = env_example()
        assert example["TRELLIS_ENVIRONMENT"] == "production"
        named = {name for name in example if SECRET_NAME.search(name)}
        assert named >= {"POSTGRES_PASSWORD", "TRELLIS_POSTGRES_PASSWORD", "TRELLIS_MASTER_KEY", "TRELLIS_SERVER_KEY",
                         "TRELLIS_JWT_SECRET", "TRELLIS_METRICS_TOKEN", "TRELLIS_AUDIT_SIGNING_KEY"}
        assert {example[name] for name in named} == {""}

    def test_the_env_file_itself_is_never_committed_nor_sent_to_an_image_build(self):
        assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
        assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()

    def test_filled_in_the_api_starts_in_production_and_left_empty_it_refuses(self, monkeypatch):
        for name in [n for n in os.environ if n.startswith("TRELLIS_")]:
            monkeypatch.delenv(name)
        example = env_example()
        for name, value in (SERVICES["api"]["environment"] | example).items():
            monkeypatch.setenv(name, value)
        with pytest.raises(ValidationError):
            Settings()
        for name in example:
            if SECRET_NAME.search(name):
                key = name.endswith("_KEY")
                fresh = base64.b64encode(os.urandom(32)).decode() if key else secrets.token_urlsafe(48)
                monkeypatch.setenv(name, fresh)
        settings = Settings()
        assert (settings.environment, settings.persistence) == ("production", "postgres")
        assert settings.postgres_host == "postgres"
        assert settings.checkpoint_every_minutes == 60 and settings.audit_signing_key is not None
        assert settings.postgres_password.get_secret_value() and settings.metrics_token is not None
