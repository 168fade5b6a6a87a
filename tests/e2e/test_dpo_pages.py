"""The data-protection officer's pages in headless Chromium against the real app on loopback:
requests (erasure and subject access), legal holds, retention, the consent ledger and the
statistics floor, the access log; and an administrator kept out of them."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from api.bootstrap import build_app
from api.services import ManualClock
from e2e.browser import required
from e2e.people import Programme, person_id
from e2e.server import LiveServer, fresh_settings
from lifecycle import unique

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if required():
        raise
    pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')", allow_module_level=True)

DPO_PAGES = ["Requests", "Legal holds", "Retention", "Consent ledger", "Statistics floor", "Access log"]
ADMIN_PAGES = ["Pipeline board", "Mentor capacity", "QA statistics"]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live_server(request, tmp_path_factory):
    """As conftest's, on each backend and a database of its own, but with a clock the tests can
    set back: retention needs records that closed months ago."""
    settings = fresh_settings(request, tmp_path_factory, "e2e_dpo")
    clock = ManualClock()
    trellis = build_app(settings, clock=clock)
    try:
        with LiveServer(settings, trellis=trellis) as server:
            server.clock = clock
            yield server
    finally:
        trellis.close()


@pytest.fixture
def programme(live_server) -> Programme:
    world = Programme(live_server.url, live_server.settings).register()
    world.mentor_ids.append(world.mentor("Avery Okafor", 3))
    return world


@pytest.fixture
def dpo(live_server) -> str:
    """A data-protection officer's token."""
    return Programme(live_server.url, live_server.settings).token(unique("dpo"), "dpo")


def sign_in(page: Page, url: str, token: str, landing: str) -> None:
    page.goto(f"{url}/dashboard/")
    page.get_by_label("Bearer token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page, landing)).to_be_focused()


def heading(page: Page, name: str | re.Pattern):
    """The page's own heading (h1), where focus lands after each navigation and each action."""
    return page.get_by_role("heading", level=1, name=name)


def nav(page: Page, section: str):
    return page.get_by_role("navigation", name="Dashboard sections").get_by_role("link", name=section)


def go(page: Page, section: str) -> None:
    nav(page, section).click()
    expect(heading(page, section)).to_be_focused()


def record_request(page: Page, kind: str, received_on: date | None = None, **subject: str) -> None:
    form = page.get_by_role("region", name="Record a request")
    form.get_by_label(re.compile(f"^{kind}")).check()
    if "identity" in subject:
        form.get_by_label("Identity").fill(subject["identity"])
    if "person_id" in subject:
        form.get_by_label("Person id").fill(subject["person_id"])
    if received_on:
        form.get_by_label("Received on").fill(received_on.isoformat())
    form.get_by_role("button", name="Record the request").click()
    words = "Erasure request recorded." if kind == "Erasure" else "Subject-access request recorded."
    expect(page.get_by_role("status")).to_have_text(words)


def request_row(page: Page, table_heading: str, subject: str):
    table = page.get_by_role("heading", name=re.compile(f"^{table_heading}")).locator("xpath=following-sibling::table[1]")
    return table.get_by_role("row", name=re.compile(re.escape(subject)))


def facts(page: Page):
    return page.locator("dl.facts")


def status(page: Page):
    return page.get_by_role("status")


class TestErasureByRequest:
    def test_a_mentees_erasure_is_previewed_confirmed_and_completed(self, page, live_server, programme, dpo, snap):
        case_id, partnership_id, mentee = programme.active_partnership("Erin Erased", programme.mentor_ids[0])
        programme.wait_for_read_models()
        subject = person_id(live_server.url, live_server.settings, mentee, "mentee")

        sign_in(page, live_server.url, dpo, "Requests")
        expect(page.get_by_text(re.compile(r"acting as data-protection officer$"))).to_be_visible()
        expect(page.get_by_role("navigation", name="Dashboard sections").get_by_role("link")).to_have_text(DPO_PAGES)
        record_request(page, "Erasure", identity=mentee)
        row = request_row(page, "Erasure requests", subject)
        expect(row).to_contain_text("Open")
        expect(row).to_contain_text(re.compile(r"\d+ days left"))
        snap("dpo-01-requests")

        row.get_by_role("link", name=re.compile("^Preview")).click()
        expect(heading(page, f"Erasure request for {subject}")).to_be_focused()
        touches = page.get_by_role("heading", name="What the erasure will touch").locator("xpath=following-sibling::table[1]")
        expect(touches.get_by_role("row", name=re.compile("^Cases to close "))).to_contain_text(f"1{case_id}")
        expect(touches.get_by_role("row", name=re.compile("^Partnerships whose records go "))).to_contain_text(
            f"1{partnership_id}")
        expect(touches.get_by_role("row", name=re.compile("^Keys to destroy "))).to_contain_text("2")  # personal and special-category: no session ever made a partnership key
        expect(page.get_by_text("No legal hold")).to_be_visible()
        snap("dpo-02-erasure-preview")

        page.get_by_role("button", name="Erase", exact=True).click()
        question = page.get_by_text(f"Erase {subject} for good? This cannot be undone.")
        expect(question).to_be_focused()
        snap("dpo-03-erasure-confirm")
        page.get_by_role("button", name="Yes, erase for good").click()
        expect(status(page)).to_have_text("Erasure carried out; the request is completed.")
        expect(heading(page, f"Erasure request for {subject}")).to_be_focused()
        expect(facts(page)).to_contain_text("StateCompleted")
        expect(facts(page)).to_contain_text("cases closed: 1")
        expect(page.get_by_role("button", name="Erase", exact=True)).to_have_count(0)

        go(page, "Requests")
        expect(request_row(page, "Erasure requests", subject)).to_contain_text("Completed")
        assert programme.read(f"/cases/{case_id}").json()["stage"] == "closed"
        assert page.console_errors == []


class TestLegalHolds:
    def test_a_hold_refuses_an_erasure_with_a_readable_problem_until_it_is_lifted(
        self, page, live_server, programme, dpo, snap
    ):
        _, mentee = programme.eoi("Harper Held")
        programme.wait_for_read_models()
        subject = person_id(live_server.url, live_server.settings, mentee, "mentee")
        sign_in(page, live_server.url, dpo, "Requests")
        record_request(page, "Erasure", person_id=subject)

        request_row(page, "Erasure requests", subject).get_by_role("link", name=re.compile("^Preview")).click()
        page.get_by_role("link", name="Place a legal hold on this person").click()
        expect(heading(page, "Legal holds")).to_be_focused()
        form = page.get_by_role("region", name="Place a legal hold")
        expect(form.get_by_label("Hold on")).to_have_value("person")
        expect(form.get_by_label("Id")).to_have_value(subject)
        form.get_by_label("Reason").fill("Claim 2026/114")
        form.get_by_role("button", name="Place the hold").click()
        expect(status(page)).to_have_text("Legal hold placed.")
        hold = page.get_by_role("row", name=re.compile(f"^Person {subject}"))
        expect(hold).to_contain_text("Claim 2026/114")
        expect(hold).to_contain_text(re.compile(r"by you \(p-[0-9a-f]{32}\)"))
        expect(hold).to_contain_text("Stands")
        snap("dpo-04-hold-placed")

        go(page, "Requests")
        request_row(page, "Erasure requests", subject).get_by_role("link", name=re.compile("^Preview")).click()
        expect(page.get_by_text("Blocked by a legal hold")).to_be_visible()
        expect(page.get_by_role("table", name="Legal holds blocking the erasure")).to_contain_text("Claim 2026/114")
        page.get_by_role("button", name="Erase", exact=True).click()
        page.get_by_role("button", name="Yes, erase for good").click()
        alert = page.get_by_role("alert")
        expect(alert).to_have_text(re.compile(
            rf"^The current state does not allow this: legal hold \S+ on person {subject} \(placed \d{{4}}-\d\d-\d\d\) "
            "stands on what this would erase; it must be lifted first$"))
        expect(alert).to_be_focused()
        expect(facts(page)).to_contain_text("StateOpen")
        snap("dpo-05-erasure-refused-by-hold")

        go(page, "Legal holds")
        page.get_by_role("row", name=re.compile(f"^Person {subject}")).get_by_role("button", name=re.compile("^Lift")).click()
        expect(status(page)).to_have_text("Legal hold lifted.")
        expect(page.get_by_role("row", name=re.compile(f"^Person {subject}"))).to_contain_text(re.compile("Lifted .* by you"))

        # with the hold lifted, the DPO refuses the erasure on a lawful basis instead
        go(page, "Requests")
        request_row(page, "Erasure requests", subject).get_by_role("link", name=re.compile("^Preview")).click()
        expect(page.get_by_text("No legal hold")).to_be_visible()
        decide = page.get_by_role("region", name="Refuse")
        decide.get_by_label("Lawful basis").select_option(label="Legal claims (establishing, exercising or defending them)")
        decide.get_by_role("button", name="Refuse").click()
        expect(status(page)).to_have_text("Erasure refused; the request is closed.")
        expect(facts(page)).to_contain_text("StateRefused")
        expect(facts(page)).to_contain_text("Refused on a lawful basis: Legal claims")


class TestSubjectAccess:
    def test_an_overdue_request_is_answered_with_the_json_export_and_the_printable_page(
        self, page, live_server, programme, dpo, snap
    ):
        case_id, mentee = programme.eoi("Sam Access")
        programme.wait_for_read_models()
        subject = person_id(live_server.url, live_server.settings, mentee, "mentee")
        sign_in(page, live_server.url, dpo, "Requests")
        record_request(page, "Subject access", received_on=date.today() - timedelta(days=45), identity=mentee)
        row = request_row(page, "Subject-access requests", subject)
        expect(row).to_contain_text(re.compile(r"Overdue by \d+ days"))
        expect(page.get_by_text(re.compile(r"^\d+ overdue\.$"))).to_be_visible()
        snap("dpo-06-access-overdue")

        with page.expect_download() as download:
            row.get_by_role("button", name=f"Download JSON for {subject}").click()
        expect(status(page)).to_have_text("The export was downloaded as JSON.")
        assert download.value.suggested_filename == f"subject-access-{subject}.json"
        export = json.loads(download.value.path().read_text())
        assert export["person_id"] == subject
        assert export["identity"] == mentee
        case = next(r for r in export["records"] if r["kind"] == "case")
        assert case["id"] == case_id
        text = json.dumps(export)
        assert "Sam Access" in text and f"{mentee}@example.org" in text and "I lead a new team." in text

        with page.expect_popup() as popup:
            row.get_by_role("button", name=re.compile("^Open printable page")).click()
        printable = popup.value
        expect(printable.get_by_role("heading", name="Everything Trellis holds about you")).to_be_visible()
        expect(printable.get_by_text(subject).first).to_be_visible()
        expect(printable.get_by_text("Sam Access").first).to_be_visible()
        expect(status(page)).to_have_text("The printable page opened in a new window.")
        printable.close()

        row.get_by_role("button", name=re.compile("^Mark answered")).click()
        expect(status(page)).to_have_text("Subject-access request marked answered.")
        row = request_row(page, "Subject-access requests", subject)
        expect(row).to_contain_text("Completed")
        expect(row).to_contain_text(re.compile(r"entries: \d+; records: 1"))
        expect(row.get_by_role("button")).to_have_count(0)
        assert page.console_errors == []


def closed_long_ago(live_server, names: list[str]) -> list[str]:
    """People whose only case was withdrawn three months ago, in a programme that keeps
    records one month: retention is due for them. Returns their opaque ids."""
    live_server.clock.set(datetime.now(UTC) - timedelta(days=92))
    try:
        world = Programme(live_server.url, live_server.settings)
        world.programme_id = world.admin("/programmes", {"name": world.name, "retention_months": 1})["id"]
        mentees = []
        for name in names:
            case_id, mentee = world.eoi(name)
            world.withdraw(case_id)
            mentees.append(mentee)
        world.wait_for_read_models()
    finally:
        live_server.clock.set(None)
    return [person_id(live_server.url, live_server.settings, m, "mentee") for m in mentees]


class TestRetention:
    def test_the_dry_run_shows_who_is_due_and_who_a_hold_keeps_then_the_run_erases(self, page, live_server, dpo, snap):
        due, held = closed_long_ago(live_server, ["Dana Due", "Kit Kept"])
        sign_in(page, live_server.url, dpo, "Requests")
        go(page, "Legal holds")
        form = page.get_by_role("region", name="Place a legal hold")
        form.get_by_label("Hold on").select_option("person")
        form.get_by_label("Id").fill(held)
        form.get_by_label("Reason").fill("Tribunal ref 77")
        form.get_by_role("button", name="Place the hold").click()
        expect(status(page)).to_have_text("Legal hold placed.")

        go(page, "Retention")
        page.get_by_role("button", name="Preview").click()
        expect(status(page)).to_have_text(re.compile(r"^Preview ready: \d+ (person|people) due, 1 kept by a legal hold\.$"))
        expect(heading(page, "Retention")).to_be_focused()
        expect(page.get_by_role("row", name=re.compile(re.escape(due)))).to_contain_text("Would be erased")
        expect(page.get_by_role("row", name=re.compile(re.escape(held)))).to_contain_text("Kept by legal hold")
        snap("dpo-07-retention-preview")

        page.get_by_role("button", name="Run retention").click()
        expect(page.get_by_text("Run retention now? Everyone due and not kept by a legal hold is erased for good.")).to_be_focused()
        page.get_by_role("button", name="Yes, run retention").click()
        expect(status(page)).to_have_text(re.compile(r"^Retention ran: \d+ (person|people) erased, 1 kept by a legal hold\.$"))
        expect(page.get_by_role("row", name=re.compile(re.escape(due)))).to_contain_text("Erased")
        expect(page.get_by_role("row", name=re.compile(re.escape(held)))).to_contain_text("Kept by legal hold")
        snap("dpo-08-retention-run")

        page.get_by_role("button", name="Preview").click()
        expect(status(page)).to_have_text(re.compile(r"^Preview ready: "))
        dry_run = page.get_by_role("region", name=re.compile("^Dry run at"))
        expect(dry_run.get_by_role("row", name=re.compile(re.escape(due)))).to_have_count(0)
        expect(dry_run.get_by_role("row", name=re.compile(re.escape(held)))).to_contain_text("Kept by legal hold")


class TestConsentLedgerAndStatisticsFloor:
    def test_the_ledger_shows_a_mentees_own_consent_and_the_floor_is_set_to_6(
        self, page, live_server, programme, dpo, snap
    ):
        case_id, mentee = programme.eoi("Noor Consenting")
        programme.approve(case_id)
        programme.command(mentee, "mentee", f"/cases/{case_id}/matching-request", {
            "preferences": [programme.mentor_ids[0]], "goals": "Lead my team",
            "special": {"lived_experience": "Care leaver"}, "consent": True,
        })
        programme.wait_for_read_models()
        subject = person_id(live_server.url, live_server.settings, mentee, "mentee")

        sign_in(page, live_server.url, dpo, "Requests")
        go(page, "Consent ledger")
        page.get_by_label("Person id").fill(subject)
        page.get_by_role("button", name="Show").click()
        entry = page.get_by_role("row", name=re.compile(f"^{subject}"))
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text("the person themselves")
        expect(entry).to_contain_text("Given: answers kept")
        expect(entry).to_contain_text(case_id)
        expect(page.get_by_text("Care leaver")).to_have_count(0)  # the answers themselves never
        snap("dpo-09-consent-ledger")

        go(page, "Statistics floor")
        page.get_by_label("Floor").fill("6")
        page.get_by_role("button", name="Set the floor").click()
        expect(status(page)).to_have_text("Statistics floor set to 6.")
        expect(heading(page, "Statistics floor")).to_be_focused()
        snap("dpo-10-statistics-floor")
        quarter = f"{date.today().year}-Q{(date.today().month - 1) // 3 + 1}"
        stats = programme.read("/statistics", programme_id=programme.programme_id, period=quarter).json()
        assert stats["threshold"] == 6

        page.get_by_label("Floor").fill("4")
        page.get_by_role("button", name="Set the floor").click()  # below 5: the browser's own check stops it
        expect(status(page)).to_have_text("Statistics floor set to 6.")
        assert page.get_by_label("Floor").evaluate("input => input.validity.rangeUnderflow")


class TestTheAccessLog:
    def test_shows_a_dpo_who_read_a_case_with_no_link_into_the_auditors_pages(self, page, live_server, programme, dpo):
        case_id, _, _ = programme.active_partnership("Ada Accessed", programme.mentor_ids[0])
        programme.wait_for_read_models()
        assert programme.read(f"/cases/{case_id}").status_code == 200
        sign_in(page, live_server.url, dpo, "Requests")
        go(page, "Access log")
        form = page.get_by_role("region", name="Filter the log")
        form.get_by_label("Object id").fill(case_id)
        form.get_by_role("button", name="Apply the filters").click()
        expect(heading(page, "Access log")).to_be_focused()
        reads = page.get_by_role("table", name="Reads, oldest first")
        read = reads.get_by_role("row").filter(has_text="GET /cases/{case_id}").filter(has_text="Administrator")
        expect(read).to_have_count(1)
        expect(read).to_contain_text(f"Case {case_id[:8]}")
        expect(reads.get_by_role("link")).to_have_count(0)  # an object's timeline is the auditor's
        expect(page.locator("main")).not_to_contain_text("Ada Accessed")
        assert page.console_errors == []


DPO_ROUTES = [
    ("GET", "/retention/erasure-requests"), ("POST", "/retention/erasure-requests"),
    ("GET", "/retention/erasure-requests/{id}/preview"), ("POST", "/retention/erasure-requests/{id}/execute"),
    ("POST", "/retention/erasure-requests/{id}/refuse"),
    ("GET", "/retention/subject-access-requests"), ("POST", "/retention/subject-access-requests"),
    ("GET", "/retention/subject-access-requests/{id}/export"),
    ("GET", "/retention/subject-access-requests/{id}/export.html"),
    ("POST", "/retention/subject-access-requests/{id}/complete"),
    ("GET", "/retention/legal-holds"), ("POST", "/retention/legal-holds"), ("POST", "/retention/legal-holds/{id}/lift"),
    ("GET", "/retention/schedule"), ("POST", "/retention/schedule/run"),
    ("GET", "/retention/consents"), ("POST", "/retention/statistics-floor"),
]


class TestAdministratorsAreKeptOut:
    def test_no_dpo_navigation_and_a_403_problem_on_every_dpo_route(self, page, live_server, programme, snap):
        sign_in(page, live_server.url, programme.admin_token, re.compile("^Pipeline board"))
        links = page.get_by_role("navigation", name="Dashboard sections").get_by_role("link")
        expect(links).to_have_text(ADMIN_PAGES)
        for section in DPO_PAGES:
            expect(nav(page, section)).to_have_count(0)

        page.goto(f"{live_server.url}/dashboard/#/requests")
        expect(page.get_by_role("alert")).to_have_text("You may not do this: the administrator role may not do this")
        snap("dpo-11-administrator-refused")

        with programme.as_(programme.admin_id, "administrator") as client:
            for method, path in DPO_ROUTES:
                answer = client.request(method, path.format(id=uuid4()), json={} if method == "POST" else None,
                                        headers={"Idempotency-Key": uuid4().hex} if method == "POST" else None)
                assert answer.status_code == 403, f"{method} {path}: {answer.status_code}"
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.json()["title"] == "You may not do this"


class TestKeyboardUse:
    def test_a_dpo_moves_between_the_pages_by_keyboard_with_focus_on_each_heading(self, page, live_server, dpo):
        sign_in(page, live_server.url, dpo, "Requests")
        for section in DPO_PAGES[1:]:
            nav(page, section).focus()
            page.keyboard.press("Enter")
            expect(heading(page, section)).to_be_focused()
            expect(nav(page, section)).to_have_attribute("aria-current", "page")
