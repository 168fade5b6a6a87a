"""The real app under uvicorn on loopback, and headless Chromium driven by Playwright.

The browser is Debian's `chromium` (tests/e2e/install-browser.sh installs it); Playwright's
own browser download is never used. Without the browser the tests skip with the reason
shown, except under CI (CI=true), where a missing browser fails the run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, required
from e2e.server import LiveServer, fresh_settings


def _unavailable(reason: str) -> None:
    if required():
        pytest.fail(f"{reason} (required under CI: run tests/e2e/install-browser.sh)", pytrace=False)
    pytest.skip(f"{reason}; run tests/e2e/install-browser.sh to enable the browser test")


# Module scope: the browser and the servers (with their projection threads) stop when the
# browser tests end, rather than running on beside the rest of the suite.
@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    console_errors: list[str] = []
    tab.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: console_errors.append(str(e)))
    tab.console_errors = console_errors
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
    context.close()


@pytest.fixture
def snap(page, live_server):
    """Saves a full-page screenshot as a test artefact, named for the backend and the step."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"e2e-{live_server.settings.persistence}-{step}.png"), full_page=True)

    return save


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live_server(request, tmp_path_factory):
    """The app served on each backend, on a database of its own made fresh for the run;
    each test makes its own programme, so tests never see each other's cases."""
    with LiveServer(fresh_settings(request, tmp_path_factory, "e2e")) as server:
        yield server
