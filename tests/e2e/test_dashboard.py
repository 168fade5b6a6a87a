"""The administrators' dashboard in headless Chromium against the real app on loopback."""

from __future__ import annotations

import csv
import io
import re

import pytest

from api.http.auth import issue_token
from e2e.browser import required
from e2e.people import Programme

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if required():
        raise
    pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')", allow_module_level=True)


@pytest.fixture
def programme(live_server) -> Programme:
    """A programme with two mentors and five partnerships already active (so that the QA
    statistics, where no group smaller than 5 is shown, have something to show)."""
    world = Programme(live_server.url, live_server.settings).register()
    world.mentor_ids += [world.mentor("Avery Okafor", 6), world.mentor("Bea Lindqvist", 1)]
    for n in range(1, 6):
        world.active_partnership(f"Earlier Mentee {n}", world.mentor_ids[0])
    return world


def sign_in(page: Page, url: str, programme: Programme) -> None:
    """Signs in as the programme's administrator and picks the programme (the server holds others)."""
    page.goto(f"{url}/dashboard/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Bearer token").fill(programme.admin_token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Pipeline board"))).to_be_visible()
    picker = page.get_by_label("Programme")
    if picker.count():
        picker.select_option(label=programme.name)
    expect(page.get_by_role("heading", name=f"Pipeline board: {programme.name}")).to_be_visible()


def nav(page: Page, section: str):
    return page.get_by_role("navigation", name="Dashboard sections").get_by_role("link", name=section)


def stage_count(page: Page, label: str):
    return page.locator(".cards li", has_text=label).locator(".count")


def statistic(page: Page, label: str):
    return page.get_by_role("row", name=re.compile(f"^{label} ")).get_by_role("cell")


def next_step(page: Page, title: str):
    return page.get_by_role("region", name=title)


class TestAdministratorTakesACaseFromEOIToAnActivePartnership:
    def test_through_the_dashboard_with_the_board_and_statistics_following(self, page, live_server, programme, snap):
        case_id, _ = programme.eoi("Casey Newcomer")
        programme.wait_for_read_models()
        sign_in(page, live_server.url, programme)

        # the board shows the EOI waiting for the line manager, with its age
        expect(stage_count(page, "Awaiting line manager")).to_have_text("1")
        queue = page.locator("section[data-queue^='Expressions of interest awaiting']")
        expect(queue.get_by_role("row", name=re.compile("Casey Newcomer today"))).to_be_visible()
        page.goto(f"{live_server.url}/dashboard/#/stats")
        # one EOI awaits its line manager: a group of 1, so the pipeline it could be told from is hidden
        expect(statistic(page, "Partnerships started")).to_have_text("suppressed (small group)")
        snap("01-statistics-before")

        # the line manager approves through the API: administrators approve nothing
        programme.approve(case_id)
        programme.wait_for_read_models()
        nav(page, "Pipeline board").click()
        expect(stage_count(page, "Awaiting line manager")).to_have_text("0")
        snap("02-board-after-approval")
        page.locator("section[data-queue^='Waiting for a match']").get_by_role("link", name="Casey Newcomer").click()
        expect(page.get_by_role("heading", name="Case: Casey Newcomer")).to_be_visible()

        # the mentee's matching request, copied in by the administrator
        step = next_step(page, "Record the matching request for the mentee")
        step.get_by_label("First choice").select_option(label="Avery Okafor")
        step.get_by_label("Goals").fill("Lead a team through a curriculum change")
        step.get_by_role("button", name="Record the matching request").click()
        expect(page.get_by_role("status")).to_have_text("Matching request recorded.")

        # propose a match, seeing each mentor's free capacity
        step = next_step(page, "Propose a match")
        expect(step.get_by_label(re.compile("^Avery Okafor"))).to_have_accessible_name(
            "Avery Okafor — 1 of 6 places free")
        expect(step.get_by_label(re.compile("^Bea Lindqvist"))).to_be_enabled()
        step.get_by_label(re.compile("^Avery Okafor")).check()
        step.get_by_label("Reasons for the match").fill("Same phase")
        snap("03-propose-a-match")
        step.get_by_role("button", name="Propose this match").click()
        expect(page.get_by_role("status")).to_have_text("Match proposed.")

        next_step(page, "Record the discovery call").get_by_role("button", name="Record the discovery call").click()
        expect(page.get_by_role("status")).to_have_text("Discovery call recorded.")
        next_step(page, "Confirm the match").get_by_role("button", name="Confirm the match").click()
        expect(page.get_by_role("status")).to_have_text("Match confirmed; the partnership awaits signatures.")
        next_step(page, "Record the mentee's signature").get_by_role("button").click()
        expect(page.get_by_role("status")).to_have_text("The mentee's signature is recorded.")
        next_step(page, "Record the mentor's signature").get_by_role("button").click()
        expect(page.get_by_role("status")).to_have_text("The mentor's signature is recorded.")

        facts = page.locator("dl.facts")
        expect(facts).to_contain_text("PartnershipActive partnership")
        expect(facts).to_contain_text("Signed bymentee and mentor — both recorded by an administrator")
        expect(facts).to_contain_text("Matching requestsubmitted — recorded by an administrator")
        eoi = facts.locator("dt:text-is('Expression of interest') + dd")
        expect(eoi).not_to_contain_text("recorded by")  # the mentee submitted it themselves
        timeline = page.get_by_role("list", name="Timeline, oldest first")
        expect(timeline.get_by_role("listitem")).to_have_text([
            re.compile(f"^{step}") for step in (
                "Expression of interest submitted", "Line manager approved", "Matching request submitted",
                "Match proposed", "Discovery call held", "Match confirmed", "Partnership formed",
                "Agreement signed", "Agreement signed", "Partnership started",
            )
        ])
        signed = timeline.get_by_role("listitem").filter(has_text="Agreement signed")
        expect(signed).to_have_text([re.compile("by the mentee .*recorded by an administrator on their behalf"),
                                     re.compile("by the mentor .*recorded by an administrator on their behalf")])
        expect(timeline.get_by_role("listitem").filter(has_text="Match proposed")).to_contain_text(
            "Avery Okafor, the mentee's first choice")
        snap("04-case-active")

        # the board and the statistics follow
        nav(page, "Pipeline board").click()
        expect(stage_count(page, "Matched")).to_have_text("6")
        expect(page.get_by_role("row", name=re.compile("^Casey Newcomer Active partnership Avery Okafor"))).to_be_visible()
        snap("05-board-after")
        programme.admin(f"/mentors/{programme.mentor_ids[1]}/capacity", {"capacity": 2})  # for the mentor
        programme.wait_for_read_models()
        nav(page, "Mentor capacity").click()
        expect(page.get_by_role("row", name=re.compile("^Avery Okafor"))).to_have_text(re.compile("In the pool\\s*6\\s*6\\s*0"))
        expect(page.get_by_role("row", name=re.compile("^Bea Lindqvist"))).to_contain_text(
            "2 — recorded by an administrator")
        nav(page, "QA statistics").click()
        expect(statistic(page, "Partnerships started")).to_have_text("6")
        expect(page.get_by_role("img", name=re.compile("^The pipeline"))).to_be_visible()
        snap("06-statistics-after")

        with page.expect_download() as download:
            page.get_by_role("button", name="Export as CSV").click()
        rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
        assert rows[0] == ["statistic", "value", "suppressed"]
        assert ["partnerships_started", "6", "no"] in rows
        assert page.console_errors == []


class TestAdministratorDecidesAnExtensionEndsAndAsksForFeedback:
    def test_through_the_case_page_with_the_queues_following(self, page, live_server, programme, snap):
        case_id, partnership_id, mentee = programme.active_partnership("Dale Extender", programme.mentor_ids[0])
        programme.command(mentee, "mentee", f"/partnerships/{partnership_id}/extension-request", {"months": 3})
        programme.wait_for_read_models()
        sign_in(page, live_server.url, programme)
        queue = page.locator("section[data-queue^='Extension requests']")
        queue.get_by_role("link", name="Dale Extender").click()
        expect(page.locator("dl.facts")).to_contain_text(re.compile("Extension requestpending since"))

        next_step(page, "Grant the extension").get_by_role("button", name="Grant the extension").focus()
        page.keyboard.press("Enter")  # by keyboard: focus then lands on the page's heading
        expect(page.get_by_role("status")).to_have_text("Extension granted.")
        expect(page.get_by_role("heading", name="Case: Dale Extender")).to_be_focused()
        expect(page.locator("dl.facts")).to_contain_text("Extension requestnone pending")
        expect(next_step(page, "Decline the extension")).to_have_count(0)

        step = next_step(page, "End the partnership")
        step.get_by_label("Reason").select_option(label="Completed")
        step.get_by_role("button", name="End the partnership").click()
        expect(page.get_by_role("status")).to_have_text("Partnership ended.")
        expect(page.locator("dl.facts")).to_contain_text(re.compile("Ended.*\\(Completed\\)"))
        next_step(page, "Request feedback").get_by_role("button", name="Send the feedback forms").click()
        expect(page.get_by_role("status")).to_have_text("Feedback forms sent.")
        expect(page.locator("dl.facts")).to_contain_text("Feedbackrequested; 0 of 2 received")
        expect(page.get_by_text("Feedback has been requested; nothing else to do.")).to_be_visible()
        snap("08-ended-feedback-requested")

        nav(page, "Pipeline board").click()
        expect(page.locator("section[data-queue^='Extension requests']")).to_contain_text("None waiting.")
        feedback = page.locator("section[data-queue^='Ended partnerships awaiting feedback']")
        expect(feedback.get_by_role("link", name="Dale Extender")).to_be_visible()
        expect(page.get_by_role("row", name=re.compile("^Dale Extender Closed: partnership ended"))).to_be_visible()


class TestProblemsAreShownAsReadableMessages:
    def test_a_token_that_does_not_verify_is_refused_with_the_apis_reason(self, page, live_server):
        page.goto(f"{live_server.url}/dashboard/")
        page.get_by_label("Bearer token").fill("not-a-token")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text("Sign in to do this: the token is invalid or has expired")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_hidden()

    def test_a_step_the_case_no_longer_allows_shows_the_refusal_and_records_nothing(
        self, page, live_server, programme, snap
    ):
        case_id, _ = programme.eoi("Robin Late")
        programme.approve(case_id)
        programme.wait_for_read_models()
        sign_in(page, live_server.url, programme)
        page.goto(f"{live_server.url}/dashboard/#/cases/{case_id}")
        expect(next_step(page, "Record the matching request for the mentee")).to_be_visible()

        programme.withdraw(case_id)  # meanwhile, in another window, the case is withdrawn
        step = next_step(page, "Record the matching request for the mentee")
        step.get_by_label("First choice").select_option(label="Avery Okafor")
        step.get_by_role("button", name="Record the matching request").click()

        alert = page.get_by_role("alert")
        expect(alert).to_have_text(re.compile(r"The current state does not allow this: case \S+ is closed"))
        expect(alert).to_be_focused()
        snap("07-refused-step")
        timeline = programme.read(f"/cases/{case_id}/timeline").json()
        assert [e["event_type"] for e in timeline][-1] == "Withdrawn"

        programme.wait_for_read_models()
        page.reload()  # the withdrawal, recorded for the mentee by an administrator, says so
        stage = page.locator("dl.facts dt:text-is('Stage') + dd")
        expect(stage).to_have_text("Closed (Withdrawn) — recorded by an administrator")
        withdrawn = page.get_by_role("list", name="Timeline, oldest first").get_by_role("listitem").last
        expect(withdrawn).to_contain_text("recorded by an administrator on their behalf")


class TestSigningIn:
    def test_a_token_with_several_roles_acts_as_administrator(self, page, live_server, programme):
        token = issue_token(live_server.settings, programme.admin_id, ["line_manager", "administrator"])
        page.goto(f"{live_server.url}/dashboard/")
        page.get_by_label("Bearer token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text(f"Signed in as {programme.admin_id}, acting as administrator")).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile("^Pipeline board:"))).to_be_visible()


class TestKeyboardUse:
    def test_an_administrator_signs_in_and_moves_between_pages_by_keyboard_alone(self, page, live_server, programme):
        page.goto(f"{live_server.url}/dashboard/")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        page.get_by_label("Bearer token").focus()
        page.keyboard.insert_text(programme.admin_token)
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Sign in")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=re.compile("^Pipeline board"))).to_be_focused()

        nav(page, "Mentor capacity").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Mentor capacity")).to_be_focused()
        expect(nav(page, "Mentor capacity")).to_have_attribute("aria-current", "page")
