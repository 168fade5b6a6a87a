"""The auditor's workspace in headless Chromium against the real app on loopback: the programme
history filtered and paged, an object's timeline and its state as of a day, the board as of a
day, the chain's verification and checkpoints, the access log, and an export of a filtered
history with the checkpoint it verifies against; an administrator kept out of it; keyboard use.

The story is told once per backend over the API, by each person with their own token, on days
set on the server's clock: the case's EOI and approval on DAY_1, its match and partnership on
DAY_2; a checkpoint is signed, and only then is a rematch asked for."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import httpx
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

AUDIT_PAGES = ["Programme history", "Timelines and past states", "Board as of a date", "Chain verification",
               "Access log"]
TODAY = datetime.now(UTC).date()
DAY_1, DAY_2 = TODAY - timedelta(days=20), TODAY - timedelta(days=10)
CASE_EVENTS = ["EOISubmitted", "LineManagerApproved", "MatchingRequestSubmitted", "MatchProposed",
               "DiscoveryCallHeld", "MatchConfirmed"]
EXPORT_COLUMNS = ["position", "recorded_at", "event_type", "aggregate_type", "aggregate_id", "version", "actor_id",
                  "actor_role", "on_behalf_of", "recorded_by_administrator"]
CANARY = "CANARY-auditor-never-reads-this"
CAPACITY_CHANGES = 55
PAGER_EVENTS = 3 + CAPACITY_CHANGES  # interest, training, joining the pool: more than the 50 a page shows


@dataclass
class Story:
    programme: Programme
    case_id: str
    partnership_id: str
    pager_mentor_id: str
    checkpoint: dict
    auditor: str  # the auditor's identity (a token's sub)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live_server(request, tmp_path_factory):
    """On each backend, a database of its own, and a clock the story sets to past days."""
    settings = fresh_settings(request, tmp_path_factory, "e2e_audit")
    clock = ManualClock()
    trellis = build_app(settings, clock=clock)
    try:
        with LiveServer(settings, trellis=trellis) as server:
            server.clock, server.trellis = clock, trellis
            yield server
    finally:
        trellis.close()


@pytest.fixture(scope="module")
def story(live_server) -> Story:
    clock = live_server.clock
    clock.set(datetime.combine(DAY_1, time(9, 0), UTC))
    world = Programme(live_server.url, live_server.settings).register()
    mentor_id = trained_mentor(world, "Avery Okafor", DAY_1)
    case_id, mentee = world.eoi("Cara Auditee")
    world.approve(case_id)
    clock.set(datetime.combine(DAY_2, time(9, 0), UTC))
    world.command(mentee, "mentee", f"/cases/{case_id}/matching-request", {"preferences": [mentor_id], "goals": "Grow"})
    world.admin(f"/cases/{case_id}/match-proposal", {"mentor_id": mentor_id, "reasons": "Shared phase"})
    world.admin(f"/cases/{case_id}/discovery-call", {"held_on": DAY_2.isoformat()})
    partnership_id = world.admin(f"/cases/{case_id}/confirm-match")["id"]
    for party in ("mentee", "mentor"):
        world.admin(f"/partnerships/{partnership_id}/signatures", {"party": party})
    world.command(mentee, "mentee", f"/partnerships/{partnership_id}/sessions", {
        "held_on": DAY_2.isoformat(), "minutes": 45, "medium": "video", "notes": CANARY, "actions": CANARY})
    clock.set(None)
    pager_mentor_id = world.mentor("Pat Pager", 3)
    for n in range(CAPACITY_CHANGES):
        world.admin(f"/mentors/{pager_mentor_id}/capacity", {"capacity": 4 - n % 2})
    world.wait_for_read_models()
    checkpoint = live_server.trellis.take_checkpoint().document()  # as `trellis audit checkpoint` would
    world.command(mentee, "mentee", f"/cases/{case_id}/rematch", {"reason": "Different phase"})
    world.wait_for_read_models()
    return Story(world, case_id, partnership_id, pager_mentor_id, checkpoint, unique("auditor"))


def trained_mentor(world: Programme, name: str, trained_on: date) -> str:
    """A mentor in the pool, trained on a past day (the helper's mentor is trained today)."""
    person = unique("mentor")
    mentor_id = world.command(person, "mentor", "/mentors", {
        "programme_id": world.programme_id, "person_id": person,
        "details": {"name": name, "email": f"{person}@example.org"},
    })["id"]
    world.admin(f"/mentors/{mentor_id}/training", {"completed_on": trained_on.isoformat()})
    world.command(person, "mentor", f"/mentors/{mentor_id}/join-pool", {"capacity": 2, "profile": {"headline": "Head"}})
    return mentor_id


def sign_in(page: Page, live_server, identity: str, role: str, landing: str) -> None:
    token = Programme(live_server.url, live_server.settings).token(identity, role)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_label("Bearer token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page, landing)).to_be_focused()


def auditor(page: Page, live_server, story: Story) -> None:
    sign_in(page, live_server, story.auditor, "auditor", "Programme history")


def heading(page: Page, name: str | re.Pattern):
    return page.get_by_role("heading", level=1, name=name)


def nav(page: Page, section: str):
    return page.get_by_role("navigation", name="Dashboard sections").get_by_role("link", name=section)


def region(page: Page, name: str):
    return page.get_by_role("region", name=name)


def column(page: Page, caption: str, index: int) -> list[str]:
    """The text of one column of the table with this caption (0: the row header)."""
    rows = page.get_by_role("table", name=caption).locator("tbody tr")
    return [rows.nth(i).locator("th, td").nth(index).inner_text() for i in range(rows.count())]


def filter_history(page: Page, **values: str) -> None:
    form = region(page, "Filter the history")
    for label, value in values.items():
        control = form.get_by_label(labelled(label))
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.get_by_role("button", name="Apply the filters").click()
    expect(heading(page, "Programme history")).to_be_focused()


def labelled(label: str) -> re.Pattern:
    """A control's accessible name begins with its label (its hint, a sentence, follows)."""
    return re.compile(f"^{re.escape(label)}(?![a-z])")


def events_shown(page: Page) -> list[str]:
    return column(page, "Events, oldest first", 2)


class TestTheHistory:
    def test_is_filtered_by_object_role_and_days(self, page, live_server, story):
        auditor(page, live_server, story)
        expect(page.get_by_role("navigation", name="Dashboard sections").get_by_role("link")).to_have_text(AUDIT_PAGES)
        filter_history(page, **{"Object id": story.case_id})
        assert events_shown(page) == [*CASE_EVENTS, "RematchRequested"]
        filter_history(page, **{"Object id": story.case_id, "Role": "line_manager"})
        assert events_shown(page) == ["LineManagerApproved"]
        filter_history(page, **{"Role": "", "To": DAY_1.isoformat()})  # the other filters are kept
        assert events_shown(page) == ["EOISubmitted", "LineManagerApproved"]
        filter_history(page, **{"From": DAY_2.isoformat(), "To": DAY_2.isoformat(), "Event type": "MatchProposed"})
        assert events_shown(page) == ["MatchProposed"]
        assert column(page, "Events, oldest first", 5) == ["Administrator"]
        filter_history(page, **{"From": "", "To": "", "Event type": "", "Object kind": "Partnership",
                                "Object id": story.partnership_id})
        assert events_shown(page) == ["PartnershipFormed", "AgreementSigned", "AgreementSigned", "PartnershipStarted",
                                      "SessionHeld", "PartnershipEnded"]  # by the rematch
        expect(page.locator("main")).not_to_contain_text(CANARY)
        assert page.console_errors == []

    def test_is_paged_fifty_at_a_time_forward_and_back(self, page, live_server, story):
        auditor(page, live_server, story)
        filter_history(page, **{"Object id": story.pager_mentor_id})
        first = column(page, "Events, oldest first", 0)
        assert len(first) == 50 and events_shown(page)[0] == "InterestExpressed"
        pages = page.get_by_role("navigation", name="Pages of the history")
        expect(pages.get_by_role("link")).to_have_text(["Next page", "Last page"])
        pages.get_by_role("link", name="Next page").click()
        expect(heading(page, "Programme history")).to_be_focused()
        second = column(page, "Events, oldest first", 0)
        assert len(second) == PAGER_EVENTS - 50
        assert set(events_shown(page)) == {"CapacityChanged"}
        positions = [int(p) for p in first + second]
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
        expect(pages.get_by_role("link")).to_have_text(["First page", "Previous page"])
        pages.get_by_role("link", name="Previous page").click()
        expect(heading(page, "Programme history")).to_be_focused()
        assert column(page, "Events, oldest first", 0) == first
        page.get_by_role("navigation", name="Pages of the history").get_by_role("link", name="Last page").click()
        expect(heading(page, "Programme history")).to_be_focused()
        assert column(page, "Events, oldest first", 0) == (first + second)[-50:]

    def test_is_filtered_and_paged_by_keyboard_alone(self, page, live_server, story):
        auditor(page, live_server, story)
        form = region(page, "Filter the history")
        form.get_by_label(labelled("Object id")).focus()
        page.keyboard.insert_text(story.pager_mentor_id)
        page.keyboard.press("Enter")
        expect(heading(page, "Programme history")).to_be_focused()
        assert len(column(page, "Events, oldest first", 0)) == 50
        page.get_by_role("navigation", name="Pages of the history").get_by_role("link", name="Next page").focus()
        page.keyboard.press("Enter")
        expect(heading(page, "Programme history")).to_be_focused()
        assert len(column(page, "Events, oldest first", 0)) == PAGER_EVENTS - 50


class TestAnObject:
    def test_opens_from_the_history_with_its_timeline_and_its_state_as_of_a_day(self, page, live_server, story):
        auditor(page, live_server, story)
        filter_history(page, **{"Object id": story.case_id, "Event type": "EOISubmitted"})
        page.get_by_role("table", name="Events, oldest first").get_by_role("link", name=re.compile("^Case")).click()
        expect(heading(page, "Timelines and past states")).to_be_focused()
        timeline = page.get_by_role("list", name="Timeline, oldest first")
        expect(timeline.locator("li strong")).to_have_text([
            "Expression of interest submitted", "Line manager approved", "Matching request submitted",
            "Match proposed", "Discovery call held", "Match confirmed", "Partnership formed", "Agreement signed",
            "Agreement signed", "Partnership started", "Session held", "Rematch requested", "Partnership ended",
        ])
        expect(page.locator("main")).not_to_contain_text(CANARY)

        as_of(page, on=DAY_1)
        expect(page.get_by_role("heading", name=f"As it stood at the end of {DAY_1.isoformat()}")).to_be_visible()
        expect(fact(page, "stage")).to_have_text("Awaiting matching request")
        expect(fact(page, "mentor_id")).to_have_text("—")
        as_of(page, on=DAY_2)
        expect(fact(page, "stage")).to_have_text("Matched (partnership formed)")
        expect(fact(page, "partnership_id")).to_contain_text(story.partnership_id[:8])
        as_of(page, on=DAY_1 - timedelta(days=1))
        expect(page.locator("[data-refused='as-of']")).to_contain_text("did not exist yet")
        refused = "the server responded with a status of 422"  # that as-of, as the browser logs it
        assert [e for e in page.console_errors if refused not in e] == []

    def test_a_partnership_as_of_a_position_and_by_its_link_from_the_case(self, page, live_server, story):
        auditor(page, live_server, story)
        page.goto(f"{live_server.url}/dashboard/#/audit/objects/case/{story.case_id}?on={DAY_2.isoformat()}")
        fact(page, "partnership_id").get_by_role("link").click()
        expect(page.get_by_role("heading", level=2, name=re.compile("^Partnership"))).to_be_visible()
        signed = page.get_by_role("list", name="Timeline, oldest first").locator("li", has_text="Agreement signed")
        first_signature = int(history_position(live_server, story, story.partnership_id, "AgreementSigned"))
        as_of(page, position=first_signature)
        expect(fact(page, "status")).to_have_text("Awaiting signatures")
        expect(fact(page, "mentee_signed")).to_have_text("Yes")
        expect(fact(page, "mentor_signed")).to_have_text("No")
        expect(signed).to_have_count(2)
        expect(page.locator("main")).not_to_contain_text(CANARY)


    def test_an_unknown_id_is_not_found_and_shows_nothing(self, page, live_server, story):
        auditor(page, live_server, story)
        nav(page, "Timelines and past states").click()
        form = region(page, "Open an object")
        form.get_by_label("Kind").select_option("mentor")
        form.get_by_label(labelled("Id")).fill("00000000-0000-4000-8000-000000000000")
        form.get_by_role("button", name="Open").click()
        expect(page.get_by_role("alert")).to_contain_text("Not found")
        expect(page.get_by_role("list", name="Timeline, oldest first")).to_have_count(0)


def as_of(page: Page, on: date | None = None, position: int | None = None) -> None:
    form = region(page, "State as of a moment")
    form.get_by_label(labelled("On")).fill(on.isoformat() if on else "")
    form.get_by_label("Or at event-log position").fill(str(position) if position else "")
    form.get_by_role("button", name="Show the state then").click()
    expect(heading(page, "Timelines and past states")).to_be_focused()


def fact(page: Page, field: str):
    return page.locator(f"dl.facts dd[data-field='{field}']")


def history_position(live_server, story: Story, aggregate_id: str, event_type: str) -> int:
    """Where the first such event stands in the log, read over the API as the auditor."""
    with httpx.Client(base_url=live_server.url, timeout=15, headers={
            "Authorization": f"Bearer {story.programme.token(story.auditor, 'auditor')}"}) as client:
        events = client.get("/audit/history", params={"aggregate_id": aggregate_id, "event_type": event_type}).json()
    return events["events"][0]["position"]


class TestTheBoardAsOfADay:
    def test_shows_the_stages_and_queues_then(self, page, live_server, story):
        auditor(page, live_server, story)
        nav(page, "Board as of a date").click()
        expect(heading(page, "Board as of a date")).to_be_focused()
        show_board(page, story, DAY_1)
        expect(stage(page, "awaiting_matching_request")).to_have_text("1")
        expect(stage(page, "matched")).to_have_text("0")
        show_board(page, story, DAY_2)
        expect(stage(page, "awaiting_matching_request")).to_have_text("0")
        expect(stage(page, "matched")).to_have_text("1")
        queue = page.locator("section[data-queue='Active partnerships with no recent session']")
        expect(queue.get_by_role("heading")).to_have_text(re.compile(r"\(0\)$"))
        assert page.console_errors == []


def stage(page: Page, name: str):
    return page.get_by_role("list", name="Cases by stage, then").locator(f"li[data-stage='{name}'] .count")


def show_board(page: Page, story: Story, day: date) -> None:
    form = region(page, "Choose the programme and the day")
    form.get_by_label("Programme").select_option(label=story.programme.name)
    form.get_by_label(labelled("On")).fill(day.isoformat())
    form.get_by_role("button", name="Show the board then").click()
    expect(heading(page, "Board as of a date")).to_be_focused()
    expect(page.get_by_role("heading", level=2, name=f"The board at the end of {day.isoformat()}")).to_be_visible()


class TestTheChain:
    def test_is_verified_on_request_and_its_checkpoints_are_saved(self, page, live_server, story):
        auditor(page, live_server, story)
        nav(page, "Chain verification").click()
        expect(heading(page, "Chain verification")).to_be_focused()
        page.get_by_role("button", name="Verify the history now").click()
        expect(page.get_by_role("status")).to_have_text("Verified: the history is intact.")
        expect(heading(page, "Chain verification")).to_be_focused()
        verdict = page.locator("dl[data-verdict]")
        expect(verdict).to_have_attribute("data-verdict", "ok")
        expect(verdict).to_contain_text(re.compile(r"Up to position\s*\d+"))
        expect(verdict).to_contain_text("(auditor)")
        position = str(story.checkpoint["position"])
        row = page.get_by_role("table", name="The latest checkpoints, newest first").get_by_role("row", name=re.compile(f"^{position} "))
        expect(row).to_contain_text(story.checkpoint["key_id"])
        with page.expect_download() as download:
            row.get_by_role("button", name=f"Save the checkpoint at position {position}").click()
        assert download.value.suggested_filename == f"trellis-checkpoint-{position}.json"
        assert json.loads(download.value.path().read_text()) == story.checkpoint
        assert page.console_errors == []


class TestTheAccessLog:
    def test_shows_who_read_a_record_by_role_and_route(self, page, live_server, story):
        auditor(page, live_server, story)
        page.goto(f"{live_server.url}/dashboard/#/audit/objects/case/{story.case_id}?on={DAY_1.isoformat()}")
        expect(fact(page, "stage")).to_have_text("Awaiting matching request")
        nav(page, "Access log").click()
        expect(heading(page, "Access log")).to_be_focused()
        form = region(page, "Filter the log")
        form.get_by_label("Object id").fill(story.case_id)
        form.get_by_label("Reader").fill(person_id(live_server.url, live_server.settings, story.auditor, "auditor"))
        form.get_by_label("Their role").select_option("auditor")
        form.get_by_role("button", name="Apply the filters").click()
        expect(heading(page, "Access log")).to_be_focused()
        routes = column(page, "Reads, oldest first", 4)
        assert {"GET /cases/{case_id}/timeline", "GET /audit/cases/{case_id}/as-of"} <= set(routes)
        assert set(column(page, "Reads, oldest first", 3)) == {"Auditor"}
        expect(page.locator("main")).not_to_contain_text("Cara Auditee")
        assert page.console_errors == []


class TestTheExport:
    def test_a_filtered_history_runs_through_the_checkpoint_it_comes_with(self, page, live_server, story):
        auditor(page, live_server, story)
        filter_history(page, **{"Object id": story.case_id})
        exporting = region(page, "Export the filtered history")
        expect(exporting).to_contain_text(f"through position {story.checkpoint['position']}")

        with page.expect_download() as download:
            exporting.get_by_role("button", name="Export as CSV").click()
        through = story.checkpoint["position"]
        assert download.value.suggested_filename == f"trellis-history-through-{through}.csv"
        rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
        assert list(rows[0]) == EXPORT_COLUMNS
        assert [r["event_type"] for r in rows] == CASE_EVENTS  # the rematch came after the checkpoint
        assert {r["aggregate_id"] for r in rows} == {story.case_id}
        assert all(int(r["position"]) <= through for r in rows)
        expect(page.get_by_role("status")).to_have_text(
            f"Exported 6 events through position {through} as trellis-history-through-{through}.csv.")

        with page.expect_download() as download:
            exporting.get_by_role("button", name="Export as JSON Lines").click()
        head, *lines = [json.loads(line) for line in download.value.path().read_text().splitlines()]
        assert head["checkpoint"] == story.checkpoint and head["through_position"] == through
        assert head["filters"] == {"aggregate_id": story.case_id}
        assert [line["event_type"] for line in lines] == CASE_EVENTS

        with page.expect_download() as download:
            exporting.get_by_role("button", name="Save the checkpoint (JSON)").click()
        saved = json.loads(download.value.path().read_text())
        assert saved == story.checkpoint
        with httpx.Client(base_url=live_server.url, timeout=30, headers={
                "Authorization": f"Bearer {story.programme.token(story.auditor, 'auditor')}",
                "Idempotency-Key": unique("verify")}) as client:
            verdict = client.post("/audit/verification", json={"checkpoints": [saved]})
        assert verdict.status_code == 201 and verdict.json()["ok"] is True, verdict.text
        assert page.console_errors == []


class TestOthersAreKeptOut:
    def test_an_administrator_sees_no_audit_page_and_the_api_refuses_them(self, page, live_server, story):
        sign_in(page, live_server, story.programme.admin_id, "administrator", re.compile("^Pipeline board"))
        expect(nav(page, "Programme history")).to_have_count(0)
        page.goto(f"{live_server.url}/dashboard/#/audit/history")
        expect(page.get_by_role("alert")).to_contain_text("You may not do this")
        expect(page.get_by_role("table")).to_have_count(0)


class TestKeyboardUse:
    def test_an_auditor_moves_between_the_pages_by_keyboard_with_focus_on_each_heading(self, page, live_server, story):
        auditor(page, live_server, story)
        for section in AUDIT_PAGES[1:]:
            nav(page, section).focus()
            page.keyboard.press("Enter")
            expect(heading(page, section)).to_be_focused()
            expect(nav(page, section)).to_have_attribute("aria-current", "page")
