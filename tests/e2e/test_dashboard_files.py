"""The dashboard's static files as the app serves them: nothing but the allow-listed files."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import init_database
from api.http.app import create_app
from api.http.dashboard import ASSETS
from api.settings import Settings

IMPORT = re.compile(r"""(?:import|from)\s+["'](\.{1,2}/[^"']+)["']""")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(environment="test", persistence="sqlite", data_dir=tmp_path_factory.mktemp("files"))
    init_database(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class TestServingTheDashboard:
    def test_the_root_leads_to_the_dashboard(self, client):
        answer = client.get("/", follow_redirects=False)
        assert answer.status_code == 307
        assert answer.headers["location"] == "/dashboard/"

    def test_the_page_is_served_with_a_policy_allowing_only_its_own_scripts(self, client):
        answer = client.get("/dashboard/")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/html")
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert '<script type="module" src="/dashboard/js/main.js">' in answer.text

    def test_every_module_the_dashboard_imports_is_served_as_javascript(self, client):
        pending, seen = ["js/main.js"], set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            answer = client.get(f"/dashboard/{name}")
            assert answer.status_code == 200, name
            assert answer.headers["content-type"].startswith("text/javascript"), name
            folder = name.rsplit("/", 1)[0]
            for relative in IMPORT.findall(answer.text):
                parts = f"{folder}/{relative}".split("/")
                resolved: list[str] = []
                for part in parts:
                    if part == "..":
                        resolved.pop()
                    elif part != ".":
                        resolved.append(part)
                pending.append("/".join(resolved))
        assert {n for n in ASSETS if n.endswith(".js")} == seen  # no module left unused

    @pytest.mark.parametrize("name", ["nothing.js", "../__init__.py", "%2e%2e/__init__.py", "js/../../__init__.py"])
    def test_anything_else_is_not_found_as_a_problem(self, client, name):
        answer = client.get(f"/dashboard/{name}")
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert "import" not in answer.text

    def test_the_static_routes_are_not_part_of_the_api_schema(self, client):
        paths = client.get("/openapi.json").json()["paths"]
        assert not [p for p in paths if p == "/" or p.startswith("/dashboard")]
