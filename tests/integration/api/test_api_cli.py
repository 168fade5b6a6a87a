"""`trellis token` and the demo's sign-in list."""

from __future__ import annotations

import base64

import jwt
import pytest
from fastapi.testclient import TestClient

from api.bootstrap import build_app, init_database
from api.cli import main
from api.cli.serve import demo_sign_in
from api.cli.demo_data import load_demo
from api.services import ManualClock
from api.http.app import create_app
from api.http.auth import Authenticator
from api.settings import Settings


class TestTokens:
    def test_trellis_token_issues_a_token_the_api_accepts(self, capsys, monkeypatch, sqlite_settings):
        monkeypatch.setenv("TRELLIS_DATA_DIR", str(sqlite_settings.data_dir))
        assert main(["token", "--sub", "mentor-9", "--role", "mentor", "--role", "auditor"]) == 0
        token = capsys.readouterr().out.strip()
        identity = Authenticator.from_settings(Settings()).identity(f"Bearer {token}", "auditor")
        assert (identity.subject, identity.role.value) == ("mentor-9", "auditor")

    def test_an_unknown_role_is_refused(self, capsys):
        assert main(["token", "--sub", "x", "--role", "superuser"]) == 2
        assert "unknown role" in capsys.readouterr().err

    @pytest.mark.parametrize("environment", ["production", "development"])
    def test_a_token_longer_than_twelve_hours_is_refused(self, capsys, monkeypatch, environment):
        monkeypatch.setenv("TRELLIS_ENVIRONMENT", environment)
        monkeypatch.setenv("TRELLIS_MASTER_KEY", base64.b64encode(b"m" * 32).decode())
        monkeypatch.setenv("TRELLIS_SERVER_KEY", base64.b64encode(b"s" * 32).decode())
        monkeypatch.setenv("TRELLIS_JWT_SECRET", "a-production-secret-of-forty-characters!")
        assert main(["token", "--sub", "admin-1", "--role", "administrator", "--hours", "100000"]) == 2
        assert main(["token", "--sub", "admin-1", "--role", "administrator", "--hours", "12.01"]) == 2
        assert capsys.readouterr().err.count("at most 12 hours") == 2
        assert main(["token", "--sub", "admin-1", "--role", "administrator", "--hours", "12"]) == 0


class TestDemoSignIn:
    def test_every_role_signs_in_and_the_demo_pair_reads_their_sessions(self, tmp_path):
        settings = Settings(environment="development", persistence="sqlite", data_dir=tmp_path)
        init_database(settings)
        clock = ManualClock()
        trellis = build_app(settings, clock=clock)
        try:
            for _ in range(2):  # a restart finds the demo loaded and signs in the same people
                entries = demo_sign_in(settings, load_demo(trellis, clock))
            with TestClient(create_app(settings, trellis=trellis, demo_sign_in=entries)) as client:
                listed = {e["role"]: e for e in client.get("/dev/demo-sign-in").json()}
                assert set(listed) == {"administrator", "line_manager", "mentor", "mentee", "auditor", "dpo"}
                client.app.state.runner.wait()
                programme = client.get("/programmes", headers=_auth(listed["mentee"])).json()[0]["programme_id"]
                mine = client.get("/partnerships/mine", params={"programme_id": programme},
                                  headers=_auth(listed["mentee"])).json()
                sessions = client.get(f"/partnerships/{mine[0]['partnership_id']}/sessions",
                                      headers=_auth(listed["mentor"]))
                assert sessions.status_code == 200 and sessions.json()
                for entry in listed.values():  # none lives longer than any other token may
                    claims = jwt.decode(entry["token"], options={"verify_signature": False})
                    assert claims["exp"] - claims["iat"] <= 12 * 3600
        finally:
            trellis.close()

    @pytest.mark.parametrize("environment", ["test", "production"])
    def test_the_sign_in_list_is_served_in_development_only(self, tmp_path, environment):
        secrets = {"master_key": base64.b64encode(b"m" * 32).decode(), "server_key": base64.b64encode(b"s" * 32).decode(),
                   "jwt_secret": "a-production-secret-of-forty-characters!"}
        settings = Settings(environment=environment, persistence="sqlite", data_dir=tmp_path, **secrets)
        entries = [{"role": "administrator", "person_id": "p-admin", "token": "t"}]
        with pytest.raises(RuntimeError, match="development only"):
            create_app(settings, demo_sign_in=entries)


def _auth(entry: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {entry['token']}"}
