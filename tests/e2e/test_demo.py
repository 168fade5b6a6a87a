"""The demo as `trellis demo` composes it: sign in by picking a role, a case at every stage."""

from __future__ import annotations

import re

import pytest

from api.bootstrap import build_app, init_database
from api.cli.serve import demo_sign_in
from api.cli.demo_data import load_demo
from api.services import ManualClock
from api.settings import Settings
from e2e.browser import ARTIFACTS, required
from e2e.server import LiveServer

try:
    from playwright.sync_api import expect
except ImportError:
    if required():
        raise
    pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')", allow_module_level=True)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    settings = Settings(environment="development", persistence="sqlite", data_dir=tmp_path_factory.mktemp("demo"))
    init_database(settings)
    clock = ManualClock()
    trellis = build_app(settings, clock=clock)
    try:
        sign_in = demo_sign_in(settings, load_demo(trellis, clock))
        with LiveServer(settings, trellis=trellis, demo_sign_in=sign_in) as server:
            yield server
    finally:
        trellis.close()


class TestTheDemo:
    def test_an_administrator_signs_in_by_role_and_sees_cases_at_every_stage(self, page, demo_server):
        page.goto(f"{demo_server.url}/dashboard/")
        page.get_by_role("button", name="Administrator: demo-admin").click()
        expect(page.get_by_role("heading", name=re.compile("^Pipeline board: Demo"))).to_be_focused()
        counts = page.locator(".cards li .count")
        expect(counts).to_have_count(7)
        for count in counts.all():
            expect(count).not_to_have_text("0")
        for queue in ("Expressions of interest awaiting", "Waiting for a match", "Extension requests",
                      "Active partnerships with no recent session"):
            expect(page.locator(f"section[data-queue^='{queue}']").get_by_role("link").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "e2e-demo-board.png"), full_page=True)
