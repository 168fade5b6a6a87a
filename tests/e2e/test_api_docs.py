"""The API docs in a browser: Swagger UI renders under its content-security policy, and the
page loads nothing from anywhere but the server itself."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest

from api.bootstrap import init_database
from api.settings import Settings
from e2e.browser import required
from e2e.server import LiveServer

try:
    from playwright.sync_api import expect
except ImportError:
    if required():
        raise
    pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')", allow_module_level=True)


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory):
    settings = Settings(environment="production", persistence="sqlite", data_dir=tmp_path_factory.mktemp("docs"),
                        master_key=base64.b64encode(b"m" * 32).decode(), server_key=base64.b64encode(b"s" * 32).decode(),
                        jwt_secret="p" * 40, api_docs=True, run_projections=False)
    init_database(settings)
    with LiveServer(settings) as server:
        yield server


class TestTheApiDocs:
    def test_render_from_the_server_alone_with_nothing_refused(self, page, docs_server):
        origins = set()
        page.on("request", lambda r: origins.add(urlsplit(r.url).netloc))
        page.goto(f"{docs_server.url}/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Trellis")
        expect(page.locator(".opblock-summary-path", has_text="/cases/{case_id}").first).to_be_visible()
        assert origins == {urlsplit(docs_server.url).netloc}
        assert page.console_errors == []
