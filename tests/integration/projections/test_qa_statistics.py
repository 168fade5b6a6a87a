"""Anonymised QA statistics: small cells suppressed, with complementary suppression so
that no suppressed count can be recovered from a published total."""

from __future__ import annotations

import json
import random

import pytest
from lifecycle import ADMIN, TODAY, World
from read_model_checks import assert_equals_fresh_rebuild

from domain import Actor, Invalid, Role
from projections.qa import quarter_bounds
from projections.suppression import suppressed_cells

QUARTER = "2026-Q2"  # the quarter of the tests' pinned clock (1 June 2026)


def recoverable(hidden_counts: list[int], k: int) -> bool:
    """Hidden cells are worked out as the total minus the published ones: their sum must
    not describe fewer than k people, nor may one cell be hidden alone."""
    return bool(hidden_counts) and (sum(hidden_counts) < k or len(hidden_counts) < 2)


class TestComplementarySuppression:
    def test_a_single_small_cell_takes_its_complement_with_it(self):
        # naive suppression would publish approved = 7 beside a total of 9, revealing declined = 2
        assert suppressed_cells({"approved": 7, "declined": 2}, 5) == {"approved", "declined"}

    def test_small_cells_that_add_up_to_less_than_the_threshold_take_the_next_smallest(self):
        assert suppressed_cells({"a": 10, "b": 6, "c": 2}, 5) == {"b", "c"}
        assert suppressed_cells({"a": 10, "b": 1, "c": 1}, 5) == {"a", "b", "c"}

    def test_a_zero_describes_no_one_and_is_published(self):
        assert suppressed_cells({"completed": 12, "withdrawn": 0, "other": 0}, 5) == set()
        assert suppressed_cells({"completed": 12, "withdrawn": 2, "other": 0}, 5) == {"completed", "withdrawn"}
        assert suppressed_cells({"a": 0, "b": 0}, 5) == set()

    def test_a_total_below_the_threshold_hides_its_whole_group(self):
        assert suppressed_cells({"a": 2, "b": 2}, 5) == {"a", "b"}
        assert suppressed_cells({"a": 2, "b": 0}, 5) == {"a", "b"}
        assert suppressed_cells({"a": 20, "b": 30}, 5, total_shown=False) == {"a", "b"}

    def test_a_cell_hidden_for_another_reason_is_never_hidden_alone(self):
        # hidden alone, 9 would be the total minus the published 0
        assert suppressed_cells({"a": 9, "b": 0}, 5, forced={"a"}) == {"a", "b"}
        # and never with less than the threshold beside it: the smaller cells go with it
        assert suppressed_cells({"a": 9, "b": 6, "c": 20}, 5, forced={"b"}) == {"a", "b"}

    def test_no_random_group_leaves_a_suppressed_count_recoverable(self):
        rng = random.Random(7)
        for _ in range(2000):
            k = rng.randint(2, 10)
            counts = {f"c{i}": rng.choice([0, 1, 2, 3, 4, 5, 8, 20]) for i in range(rng.randint(2, 6))}
            forced = {n for n in counts if rng.random() < 0.15}
            hidden = suppressed_cells(counts, k, forced=forced)
            if 0 < sum(counts.values()) < k:  # the total itself is hidden, and so is every cell
                assert hidden == set(counts)
                continue
            assert all(n in hidden for n, c in counts.items() if 0 < c < k)
            assert forced <= hidden or not sum(counts.values())
            assert not recoverable([counts[n] for n in hidden], k) or not sum(counts.values()), (counts, k, hidden)

    def test_raising_the_threshold_only_ever_hides_more(self):
        """Else two tables of one quarter under two thresholds could be differenced."""
        rng = random.Random(11)
        for _ in range(2000):
            counts = {f"c{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 20]) for i in range(rng.randint(2, 6))}
            forced = {n for n in counts if rng.random() < 0.15}
            k = rng.randint(2, 10)
            assert suppressed_cells(counts, k, forced=forced) <= suppressed_cells(counts, k + 1, forced=forced)

    def test_a_cell_hidden_for_another_reason_only_ever_hides_more(self):
        """A higher threshold can hide a cell through another group: the rest must still grow."""
        rng = random.Random(13)
        for _ in range(2000):
            counts = {f"c{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 20]) for i in range(rng.randint(2, 6))}
            forced = {n for n in counts if rng.random() < 0.2}
            more = forced | {rng.choice(sorted(counts))}
            k = rng.randint(2, 10)
            assert suppressed_cells(counts, k, forced=forced) <= suppressed_cells(counts, k, forced=more)


class TestProgrammeStatistics:
    def decide(self, app, threshold: int, approved: int, declined: int, undecided: int = 0) -> World:
        world = World.create(app, small_group_threshold=threshold)
        for n in range(approved + declined + undecided):
            case = world.case("eoi")
            if n < approved:
                app.approve_eoi(case["case_id"], case["manager"])
            elif n < approved + declined:
                app.decline_eoi(case["case_id"], case["manager"], "not now")
        return world

    def test_a_small_decline_count_is_hidden_with_its_complement_and_the_rate(self, app, runner, read_models):
        world = self.decide(app, 5, approved=7, declined=2)
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, QUARTER)
        assert stats["eois"].value == 9 and stats["eois_needing_approval"].value == 9
        assert stats["eois_declined"].suppressed and stats["eois_declined"].value is None
        assert stats["eois_approved"].suppressed  # else 9 - 7 would reveal the 2 declines
        assert stats["approval_rate"].suppressed
        published = stats.as_dict()
        assert 2 not in {published["eois_needing_approval"] - (v or 0) for v in published.values() if v is not None}

    def test_a_threshold_above_the_floor_hides_what_the_floor_would_show(self, app, runner, read_models):
        at_floor = self.decide(app, 5, approved=7, declined=5)
        above = self.decide(app, 8, approved=7, declined=5)
        runner.catch_up()
        shown = read_models.statistics(at_floor.programme_id, QUARTER)
        assert (shown["eois_approved"].value, shown["eois_declined"].value) == (7, 5)
        assert shown["approval_rate"].value == pytest.approx(7 / 12, abs=0.001)
        assert shown.threshold == 5
        hidden = read_models.statistics(above.programme_id, QUARTER)
        assert hidden["eois_approved"].suppressed and hidden["eois_declined"].suppressed
        assert hidden["eois"].value == 12 and hidden.threshold == 8

    @staticmethod
    def rated_cohort(app):
        """Five completed partnerships with one mentor: each mentee rates 4, the mentor 5."""
        world = World.create(app)
        mentor, mentor_actor = world.mentor(capacity=10)
        cases = [world.case("active", mentor_id=mentor) for _ in range(5)]
        for n, case in enumerate(cases):
            pid = case["partnership_id"]
            for _ in range(n + 1):
                app.record_session(pid, TODAY, 30, "video", "n", "a", case["mentee"])
            app.end_partnership(pid, "completed", case["mentee"])
            app.request_feedback(pid, ADMIN)
            app.submit_feedback(pid, 4, "", case["mentee"])
            app.submit_feedback(pid, 5, "", mentor_actor)
        return world, mentor_actor

    def test_outcomes_of_a_whole_cohort_are_counted(self, app, runner, read_models):
        world, _ = self.rated_cohort(app)
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, QUARTER).as_dict()
        assert stats["eois"] == 5 and stats["eois_approved"] == 5 and stats["approval_rate"] == 1.0
        assert stats["cases_proposed"] == 5 and stats["cases_rematched"] == 0
        assert stats["discovery_calls"] == 5 and stats["calls_to_agreement"] == 5
        assert stats["discovery_call_to_agreement_rate"] == 1.0
        assert stats["matches_confirmed"] == 5 and stats["median_days_eoi_to_match"] == 0.0
        assert stats["partnerships_started"] == 5 and stats["sessions_per_partnership"] == 3.0
        assert stats["ended_completed"] == 5 and stats["completion_rate"] == 1.0
        assert (stats["rating_4"], stats["rating_5"], stats["mean_rating"]) == (5, 5, 4.5)

    def test_an_erased_raters_ratings_are_kept_sealed_and_no_longer_counted(self, app, runner, read_models):
        world, mentor = self.rated_cohort(app)
        runner.catch_up()
        stored = read_models.store.query("SELECT rating FROM rm_statistics_feedback")
        assert len(stored) >= 10 and all(json.loads(r["rating"])["c"] not in ("4", "5") for r in stored)
        request = app.receive_request("erasure", Actor("dpo-stats", Role.DPO), TODAY, person_id=mentor.id)
        runner.catch_up()  # erasure finds the person's records in current read models
        app.execute_erasure(request.id, Actor("dpo-stats", Role.DPO))
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, QUARTER).as_dict()
        assert (stats["feedback_responses"], stats["rating_4"], stats["rating_5"]) == (5, 5, 0)
        assert stats["mean_rating"] == 4.0
        assert_equals_fresh_rebuild(app, read_models.store)  # what a rebuild after erasure writes

    def test_a_figure_that_counts_the_same_people_as_a_hidden_one_is_hidden_with_it(self, app, runner, read_models):
        """Six calls, five to agreement: the one without is hidden, and so is its complement;
        the five partnerships started are those five people, so they are hidden too, or
        6 - 5 would reveal the one call that led nowhere."""
        world = World.create(app)
        mentor, _ = world.mentor(capacity=10)
        for _ in range(5):
            world.case("active", mentor_id=mentor)
        rematched = world.case("called", mentor_id=mentor)
        app.request_rematch(rematched["case_id"], rematched["mentee"])
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, QUARTER)
        assert stats["discovery_calls"].value == 6
        assert stats["calls_without_agreement"].suppressed and stats["calls_to_agreement"].suppressed
        assert stats["partnerships_started"].suppressed and stats["matches_confirmed"].suppressed
        assert stats["discovery_call_to_agreement_rate"].suppressed
        published = {c.value for c in stats.cells if not c.suppressed and isinstance(c.value, int)}
        assert 5 not in published

    def test_a_quarter_with_no_cases_publishes_zeros_and_no_rates(self, app, runner, read_models):
        world = self.decide(app, 5, approved=3, declined=3)
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, "2001-Q1")
        counts = [c for c in stats.cells if not c.name.endswith(("_rate", "_per_partnership")) and
                  c.name not in ("mean_rating", "median_days_eoi_to_match")]
        assert all(c.value == 0 and not c.suppressed for c in counts)
        assert stats["approval_rate"].value is None and stats["mean_rating"].value is None


class TestQuarters:
    @pytest.mark.parametrize("period", [
        None, "2026", "2026-07", "2026-13", "last year", "2026-Q5", "2026-q3", " 2026-Q3", "2026-Q3 ", "26",
        "2026-H1", "0000-Q1", "9999-Q4",
    ])
    def test_anything_but_a_calendar_quarter_is_refused(self, period):
        with pytest.raises(Invalid, match="per calendar quarter"):
            quarter_bounds(period)

    def test_a_quarter_is_three_calendar_months(self):
        assert quarter_bounds("2026-Q1") == ("2026-01-01", "2026-04-01")
        assert quarter_bounds("2026-Q3") == ("2026-07-01", "2026-10-01")
        assert quarter_bounds("2026-Q4") == ("2026-10-01", "2027-01-01")
