"""No suppressed figure can be worked out by combining published ones.

Two programmes' histories are built across several quarters, case by case, from stories
this test writes down; the test counts what each story contributes, month by month.
Then, for every pair and every triple of (programme, period) requests, with periods
drawn from every quarter, year and month of the history, all time and a few malformed
strings, it gathers what was published and asks an exact solver whether the published
numbers fix the value of any suppressed count.

The attacker knows: every published number and the period it covers; that a group's
cells add up to its total, in any period; the programmes' settings (no EOI needs
approval where there is no line manager); that nothing happened before the programmes
were registered or after today; that counts are never negative. The solver keeps the
equations in reduced row-echelon form over the rationals, with the unknowns being each
figure's count in each month, and adds `x = 0` for every unknown that a sum of
non-negative unknowns equal to zero forces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from itertools import combinations

import pytest
from lifecycle import ADMIN, TODAY, World

from domain import Invalid

K = 5  # the floor: both programmes ask for less (2 and 4)
REGISTERED = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)  # "today" for the rest of every story
MONTHS = [f"2025-{m:02d}" for m in (10, 11, 12)] + [f"2026-{m:02d}" for m in range(1, 7)]

GROUPS = [  # (total, the cells that add up to it)
    ("eois", ("cases_withdrawn", "cases_not_withdrawn")),
    ("eois", ("eois_needing_approval", "eois_not_needing_approval")),
    ("eois_needing_approval", ("eois_approved", "eois_declined", "eois_awaiting_decision")),
    ("discovery_calls", ("calls_to_agreement", "calls_without_agreement")),
    ("cases_proposed", ("cases_rematched", "cases_not_rematched")),
    ("partnerships_started", ("extensions_requested", "extensions_not_requested")),
    ("partnerships_ended", ("ended_completed", "ended_withdrawn", "ended_rematched", "ended_not_extended",
                            "ended_other")),
    ("feedback_responses", tuple(f"rating_{n}" for n in range(1, 6))),
]
RATINGS = GROUPS[-1][1]
COUNTS = tuple(dict.fromkeys(["eois", "matches_confirmed", *(total for total, _ in GROUPS),
                              *(cell for _, cells in GROUPS for cell in cells)]))
# where one figure counts some of another's people and, in the usual course, all of them
SAME_PEOPLE = [
    ("cases_proposed", "eois_approved"), ("discovery_calls", "cases_proposed"),
    ("matches_confirmed", "cases_proposed"), ("matches_confirmed", "discovery_calls"),
    ("calls_to_agreement", "matches_confirmed"), ("calls_to_agreement", "partnerships_started"),
    ("partnerships_started", "matches_confirmed"), ("partnerships_ended", "partnerships_started"),
    ("eois_awaiting_decision", "cases_withdrawn"), ("ended_withdrawn", "cases_withdrawn"),
    ("ended_rematched", "cases_rematched"),
    ("ended_not_extended", "extensions_requested"),
]
DERIVED_FROM = {
    "withdrawal_rate": ("cases_withdrawn", "cases_not_withdrawn"), "approval_rate": ("eois_approved", "eois_declined"),
    "median_days_eoi_to_match": ("matches_confirmed",),
    "discovery_call_to_agreement_rate": ("calls_to_agreement", "calls_without_agreement"),
    "rematch_rate": ("cases_rematched", "cases_not_rematched"), "sessions_per_partnership": ("partnerships_started",),
    "extension_rate": ("extensions_requested", "extensions_not_requested"),
    "completion_rate": ("ended_completed", "partnerships_ended"),
    "mean_rating": ("feedback_responses", *RATINGS),
}


# -- the stories -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Story:
    """One case: when its EOI came, and how far it went."""

    at: datetime
    decision: str | None = None  # "approved" or "declined" by the line manager
    withdrawn: bool = False  # before any partnership
    proposed: bool = False
    called: bool = False
    rematched: bool = False  # after the call, before any match
    confirmed: bool = False
    started: bool = False
    extension: bool = False
    ended: str | None = None  # how the partnership ended ("withdrawn" and "rematched" through the case)
    ratings: tuple[int | None, int | None] = (None, None)  # the mentee's, the mentor's


def story(at: str, kind: str, ratings: tuple[int | None, int | None] = (None, None), approval: bool = True,
          call: bool = True) -> Story:
    when = datetime.fromisoformat(at).replace(tzinfo=UTC) if "T" in at else datetime.fromisoformat(
        f"{at}T10:00").replace(tzinfo=UTC)
    approved = "approved" if approval else None
    match = dict(decision=approved, proposed=True, called=call, confirmed=True)
    steps = {
        "waiting": {},
        "declined": dict(decision="declined"),
        "quit": dict(withdrawn=True),
        "approved": dict(decision=approved),
        "proposed": dict(decision=approved, proposed=True),
        "called": dict(decision=approved, proposed=True, called=True),
        "rematched": dict(decision=approved, proposed=True, called=True, rematched=True),
        "matched": match,
        "active": match | dict(started=True),
        "extending": match | dict(started=True, extension=True),
        "completed": match | dict(started=True, ended="completed"),
        "not_extended": match | dict(started=True, extension=True, ended="not_extended"),
        "other": match | dict(started=True, ended="other"),
        "withdrew": match | dict(started=True, ended="withdrawn"),
        "rematched_later": match | dict(started=True, ended="rematched"),
    }[kind]
    return Story(when, ratings=ratings, **steps)


def contributions(s: Story, approval: bool) -> Counter:
    """What one story adds to each count: the test's own expectation."""
    c = Counter(eois=1)
    c["cases_withdrawn" if s.withdrawn or s.ended == "withdrawn" else "cases_not_withdrawn"] += 1
    if approval:
        c["eois_needing_approval"] += 1
        c[{"approved": "eois_approved", "declined": "eois_declined", None: "eois_awaiting_decision"}[s.decision]] += 1
    else:
        c["eois_not_needing_approval"] += 1
    if s.proposed:
        c["cases_proposed"] += 1
        c["cases_rematched" if s.rematched or s.ended == "rematched" else "cases_not_rematched"] += 1
    if s.called:
        c["discovery_calls"] += 1
        c["calls_to_agreement" if s.started else "calls_without_agreement"] += 1
    c["matches_confirmed"] += s.confirmed
    if s.started:
        c["partnerships_started"] += 1
        c["extensions_requested" if s.extension else "extensions_not_requested"] += 1
    if s.ended:
        c["partnerships_ended"] += 1
        c[f"ended_{s.ended}"] += 1
    for rating in s.ratings:
        if rating is not None:
            c["feedback_responses"] += 1
            c[f"rating_{rating}"] += 1
    return c


def done(at: str, mentee: int | None, mentor: int | None = None, **kw) -> Story:
    return story(at, "completed", (mentee, mentor), **kw)


# Programme A: line-manager approval, self-selected matching. Programme B: no line manager,
# mentors allocated (a match may be confirmed without a discovery call).
STORIES = {
    "A": [
        # 2025-Q4: a declined, a waiting and a withdrawn EOI beside five completed partnerships
        done("2025-10-06", 5, 4), done("2025-10-20", 5, 4), done("2025-11-03", 4, 5), done("2025-11-17", 5, 5),
        done("2025-12-01", 3, 5), story("2025-12-08", "declined"), story("2025-12-15", "waiting"),
        story("2025-12-31T23:59", "quit"),
        # 2026-Q1: no declines; a long pipeline with a rematch and calls still open
        story("2026-01-01T00:00", "approved"),
        done("2026-01-05", 5, 5), done("2026-01-12", 5, 5), done("2026-01-19", 5, 4), done("2026-02-02", 4, 4),
        done("2026-02-09", 4, 5), done("2026-02-16", 5, 3), story("2026-02-23", "active"),
        story("2026-03-02", "active"), story("2026-03-09", "extending"), story("2026-03-16", "matched"),
        story("2026-03-18", "called"), story("2026-03-23", "called"), story("2026-03-31T23:59", "rematched"),
        # 2026-Q2: five completed partnerships rated 3 and 5, two waiting, one withdrawn
        story("2026-04-01T00:00", "waiting"), done("2026-04-06", 3, 5), done("2026-04-13", 3, 5),
        done("2026-04-20", 5, 3), done("2026-05-04", 3, 5), done("2026-05-11", 5, 3), story("2026-05-18", "waiting"),
        story("2026-06-01", "quit"),
    ],
    "B": [
        # 2026-Q1: matches confirmed without calls, endings of every kind
        done("2026-01-07", 5, approval=False, call=False), done("2026-01-14", 5, 5, approval=False, call=False),
        done("2026-01-21", 4, approval=False, call=False), done("2026-02-04", 4, 2, approval=False),
        story("2026-02-11", "not_extended", (2, None), approval=False, call=False),
        story("2026-02-18", "withdrew", approval=False), story("2026-02-25", "rematched_later", approval=False),
        story("2026-03-04", "other", approval=False, call=False), story("2026-03-11", "proposed", approval=False),
        story("2026-03-18", "quit", approval=False),
        # 2026-Q2: a few cases under way
        story("2026-04-08", "active", approval=False), story("2026-04-15", "active", approval=False, call=False),
        story("2026-04-22", "extending", approval=False), story("2026-05-06", "called", approval=False),
        story("2026-05-13", "waiting", approval=False), story("2026-05-20", "waiting", approval=False),
    ],
}
APPROVAL = {"A": True, "B": False}


def live(app, clock, world: World, s: Story, mentor: tuple) -> None:
    """Drives one story through the services: the EOI at its own time, the rest later."""
    clock.set(s.at)
    case = world.case("eoi")
    clock.set(LATER)
    cid, mentee, mentor_id, mentor_actor = case["case_id"], case["mentee"], mentor[0], mentor[1]
    if s.decision == "approved":
        app.approve_eoi(cid, case["manager"])
    elif s.decision == "declined":
        app.decline_eoi(cid, case["manager"], "not this year")
    if s.proposed:
        if world.settings.matching == "self_selected":
            app.submit_matching_request(cid, [mentor_id], "Goals", mentee)
        app.propose_match(cid, mentor_id, "Shared phase", ADMIN)
    if s.called:
        app.record_discovery_call(cid, TODAY, ADMIN)
    if s.rematched:
        app.request_rematch(cid, mentee)
    pid = app.confirm_match(cid, ADMIN).id if s.confirmed else None
    if s.started:
        app.sign_agreement(pid, "mentee", mentee)
        app.sign_agreement(pid, "mentor", ADMIN)
    if s.extension:
        app.request_extension(pid, 3, mentee)
    if s.ended == "withdrawn" or s.withdrawn:
        app.withdraw_case(cid, mentee)
    elif s.ended == "rematched":
        app.request_rematch(cid, mentee)
    elif s.ended:
        app.end_partnership(pid, s.ended, mentee)
    if any(r is not None for r in s.ratings):
        app.request_feedback(pid, ADMIN)
        for rating, who in zip(s.ratings, (mentee, mentor_actor)):
            if rating is not None:
                app.submit_feedback(pid, rating, "", who)


@pytest.fixture
def history(app, clock, runner):
    """The two programmes, their stories lived, and the true count of every figure by month."""
    clock.set(REGISTERED)
    worlds = {
        "A": World.create(app, small_group_threshold=2),
        "B": World.create(app, small_group_threshold=4, line_manager_approval=False, matching="allocated"),
    }
    clock.set(LATER)
    mentors = {key: [world.mentor(capacity=20) for _ in range(2)] for key, world in worlds.items()}
    truth: dict[tuple[str, str], Counter] = {}
    for key, stories in STORIES.items():
        for n, s in enumerate(stories):
            live(app, clock, worlds[key], s, mentors[key][n % 2])
            truth.setdefault((key, s.at.strftime("%Y-%m")), Counter()).update(contributions(s, APPROVAL[key]))
    runner.catch_up()
    return {key: world.programme_id for key, world in worlds.items()}, truth


# -- what each period covers ---------------------------------------------------------------------
QUARTERS = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
PERIODS = QUARTERS + ["2025", "2026", *MONTHS, "2025-09", None, "2026-H1", "2026-Q5", "2026-q1", " 2026-Q1",
                      "2026-01-01", "", "all"]


def months_of(period: str | None) -> list[str]:
    """The months of the history that a period covers, as the attacker reads the period."""
    if period is None:
        return MONTHS
    if len(period) == 7 and period[4:6] == "-Q" and period[6] in "1234":
        first = 3 * int(period[6]) - 2
        return [m for m in MONTHS if m[:4] == period[:4] and first <= int(m[5:]) < first + 3]
    if len(period) == 4 and period.isdigit():
        return [m for m in MONTHS if m[:4] == period]
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return [m for m in MONTHS if m == period]
    return []


# -- the solver ----------------------------------------------------------------------------------
class Equations:
    """Linear equations over named unknowns in reduced row-echelon form, exact over Fraction."""

    def __init__(self) -> None:
        self.rows: dict[object, tuple[dict[object, Fraction], Fraction]] = {}  # pivot: (coefficients, value)

    def reduce(self, coefficients: dict, value: Fraction) -> tuple[dict, Fraction]:
        coefficients = {u: Fraction(c) for u, c in coefficients.items() if c}
        value = Fraction(value)
        for pivot in [u for u in coefficients if u in self.rows]:
            factor = coefficients.pop(pivot)
            row, row_value = self.rows[pivot]
            for u, c in row.items():
                if u != pivot:
                    coefficients[u] = coefficients.get(u, 0) - factor * c
                    if not coefficients[u]:
                        del coefficients[u]
            value -= factor * row_value
        return coefficients, value

    def add(self, coefficients: dict, value: Fraction | int) -> None:
        coefficients, value = self.reduce(coefficients, value)
        if not coefficients:
            assert value == 0, "the published numbers contradict each other"
            return
        pivot = next(iter(coefficients))
        scale = coefficients[pivot]
        coefficients = {u: c / scale for u, c in coefficients.items()}
        value /= scale
        for other, (row, row_value) in list(self.rows.items()):
            factor = row.get(pivot)
            if factor:
                merged = dict(row)
                del merged[pivot]
                for u, c in coefficients.items():
                    if u != pivot:
                        merged[u] = merged.get(u, 0) - factor * c
                        if not merged[u]:
                            del merged[u]
                self.rows[other] = (merged, row_value - factor * value)
        self.rows[pivot] = (coefficients, value)

    def force_zeros(self) -> None:
        """Counts are never negative: a row saying a sum of them is zero makes each zero."""
        while True:
            zeros = {u for row, value in self.rows.values() if value == 0 and len(row) > 1
                     and (all(c > 0 for c in row.values()) or all(c < 0 for c in row.values())) for u in row}
            if not zeros:
                return
            for u in zeros:
                self.add({u: 1}, 0)

    def determined(self, coefficients: dict) -> Fraction | None:
        rest, value = self.reduce(coefficients, 0)
        return -value if not rest else None


def cells_of(stats) -> dict[str, tuple[bool, object]]:
    return {c.name: (c.suppressed, c.value) for c in stats.cells}


def knowledge(publications: dict) -> Equations:
    """Everything the attacker knows, given the published tables of one combination."""
    eq = Equations()
    for key in APPROVAL:
        for month in MONTHS:
            for total, cells in GROUPS:
                eq.add({(key, month, total): 1} | {(key, month, c): -1 for c in cells}, 0)
            if APPROVAL[key]:
                eq.add({(key, month, "eois_not_needing_approval"): 1}, 0)
            else:
                eq.add({(key, month, "eois_needing_approval"): 1}, 0)
    for (key, period), table in publications.items():
        months = months_of(period)
        for name in COUNTS:
            suppressed, value = table[name]
            if not suppressed:
                eq.add({(key, m, name): 1 for m in months}, value)
    eq.force_zeros()
    return eq


def secrets(publications: dict, quarter_tables: dict) -> list[tuple[str, str | None, str, dict]]:
    """Every suppressed count of every quarter, and of every table in the combination."""
    tables = quarter_tables | publications
    return [(key, period, name, {(key, m, name): 1 for m in months_of(period)})
            for (key, period), table in tables.items() for name in COUNTS if table[name][0]]


# -- the property --------------------------------------------------------------------------------
def publications(programmes: dict, read_models) -> tuple[dict, list]:
    """Every (programme, period) request: the tables published, and the requests refused."""
    published, refused = {}, []
    for key, programme_id in programmes.items():
        for period in PERIODS:
            try:
                published[key, period] = cells_of(read_models.statistics(programme_id, period))
            except Invalid:
                refused.append((key, period))
    return published, refused


class TestNoSuppressedFigureCanBeWorkedOut:
    def test_only_quarters_are_published(self, history, read_models):
        published, refused = publications(history[0], read_models)
        assert sorted({period for _, period in published}) == QUARTERS
        assert {period for _, period in refused} == set(PERIODS) - set(QUARTERS)

    def test_by_any_pair_or_triple_of_periods_and_programmes(self, history, read_models):
        programmes, truth = history
        published, _ = publications(programmes, read_models)
        self.check_each_table_against_the_truth(published, truth)
        quarter_tables = {(key, p): published[key, p] for key in programmes for p in QUARTERS
                          if months_of(p) and (key, p) in published}
        assert sum(table[name][0] for table in quarter_tables.values() for name in COUNTS) > 50  # much to find
        requests = [(key, period) for key in programmes for period in PERIODS]
        solved: dict[frozenset, list] = {}
        combos = 0
        for size in (2, 3):
            for combo in combinations(requests, size):
                combos += 1
                seen = frozenset(r for r in combo if r in published)
                if seen not in solved:
                    solved[seen] = self.worked_out({r: published[r] for r in seen}, quarter_tables)
                assert not solved[seen], f"{combo} reveals (programme, period, figure, value): {solved[seen][:4]}"
        assert combos == len(requests) * (len(requests) - 1) // 2 + len(list(combinations(requests, 3)))

    @staticmethod
    def worked_out(publications: dict, quarter_tables: dict) -> list:
        eq = knowledge(publications)
        found = []
        for key, period, name, functional in secrets(publications, quarter_tables):
            value = eq.determined(functional)
            if value is not None:
                found.append((key, period, name, value))
        return found

    @staticmethod
    def check_each_table_against_the_truth(published: dict, truth) -> None:
        """Published counts are true; none describes 1 to K - 1 people; no figure equal to a
        suppressed one that counts the same people is published; rates go with their counts."""
        for (key, period), table in published.items():
            true = Counter()
            for month in months_of(period):
                true.update(truth.get((key, month), Counter()))
            for name in COUNTS:
                suppressed, value = table[name]
                assert suppressed or value == true[name], (key, period, name, value, true[name])
                assert suppressed or not 0 < value < K, (key, period, name, value)
                assert value is None or not suppressed, (key, period, name)
            for a, b in SAME_PEOPLE:
                if true[a] == true[b] != 0:
                    assert table[a][0] == table[b][0], (key, period, a, b, true[a])
            for name, sources in DERIVED_FROM.items():
                assert table[name][0] or not any(table[s][0] for s in sources), (key, period, name)


class TestThresholds:
    def test_raising_the_floor_only_ever_hides_more(self, app, history, read_models):
        """Tables of one quarter under two thresholds cannot be differenced either."""
        from projections.qa import statistics_for

        programmes, _ = history
        for programme_id in programmes.values():
            for quarter in QUARTERS:
                tables = [statistics_for(read_models.store, str(programme_id), quarter, app.open_sealed, floor)
                          for floor in range(5, 16)]
                hidden = [{c.name for c in table.cells if c.suppressed} for table in tables]
                assert all(lower <= higher for lower, higher in zip(hidden, hidden[1:])), (programme_id, quarter)
