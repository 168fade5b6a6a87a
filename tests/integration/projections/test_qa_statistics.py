"""Anonymised QA statistics: small cells suppressed, with complementary suppression so
that no suppressed count can be recovered from a published total."""

from __future__ import annotations

import random


import pytest
from lifecycle import ADMIN, TODAY, World

from domain import Invalid
from projections.qa import period_bounds
from projections.suppression import suppressed_cells


def recoverable(hidden_counts: list[int], k: int) -> bool:
    """Hidden cells are worked out as the total minus the published ones: their sum must
    not describe fewer than k people (a single hidden cell would be its own count)."""
    return bool(hidden_counts) and sum(hidden_counts) < k


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

    def test_a_total_below_the_threshold_hides_its_whole_group(self):
        assert suppressed_cells({"a": 2, "b": 2}, 5) == {"a", "b"}
        assert suppressed_cells({"a": 2, "b": 0}, 5) == {"a", "b"}
        assert suppressed_cells({"a": 20, "b": 30}, 5, total_shown=False) == {"a", "b"}

    def test_no_random_group_leaves_a_suppressed_count_recoverable(self):
        rng = random.Random(7)
        for _ in range(2000):
            k = rng.randint(2, 10)
            counts = {f"c{i}": rng.choice([0, 1, 2, 3, 4, 5, 8, 20]) for i in range(rng.randint(2, 6))}
            hidden = suppressed_cells(counts, k)
            if sum(counts.values()) < k:  # the total itself is hidden, and so is every cell
                assert hidden == set(counts)
                continue
            assert all(n in hidden for n, c in counts.items() if 0 < c < k)
            assert not recoverable([counts[n] for n in hidden], k), (counts, k, hidden)


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
        stats = read_models.statistics(world.programme_id, TODAY.strftime("%Y"))
        assert stats["eois"].value == 9 and stats["eois_needing_approval"].value == 9
        assert stats["eois_declined"].suppressed and stats["eois_declined"].value is None
        assert stats["eois_approved"].suppressed  # else 9 - 7 would reveal the 2 declines
        assert stats["approval_rate"].suppressed
        published = stats.as_dict()
        assert 2 not in {published["eois_needing_approval"] - (v or 0) for v in published.values() if v is not None}

    def test_the_programmes_own_threshold_decides_what_is_shown(self, app, runner, read_models):
        world = self.decide(app, 2, approved=7, declined=2, undecided=2)
        runner.catch_up()
        stats = read_models.statistics(world.programme_id)
        assert (stats["eois_approved"].value, stats["eois_declined"].value) == (7, 2)
        assert stats["approval_rate"].value == pytest.approx(7 / 9, abs=0.001)
        assert stats["eois_awaiting_decision"].value == 2
        assert stats.threshold == 2

    def test_outcomes_of_a_whole_cohort_are_counted(self, app, runner, read_models):
        world = World.create(app, small_group_threshold=2)
        mentor, mentor_actor = world.mentor(capacity=10)
        cases = [world.case("active", mentor_id=mentor) for _ in range(4)]
        for n, case in enumerate(cases):
            pid = case["partnership_id"]
            for _ in range(n + 1):
                app.record_session(pid, TODAY, 30, "video", "n", "a", case["mentee"])
            app.end_partnership(pid, "completed", case["mentee"])
            app.request_feedback(pid, ADMIN)
            app.submit_feedback(pid, 4 + n % 2, "", case["mentee"])
        rematched = world.case("called", mentor_id=mentor)
        app.request_rematch(rematched["case_id"], rematched["mentee"])
        runner.catch_up()
        stats = read_models.statistics(world.programme_id).as_dict()
        assert stats["eois"] == 5 and stats["partnerships_started"] == 4
        assert stats["sessions_per_partnership"] == 2.5
        assert stats["ended_completed"] == 4 and stats["completion_rate"] == 1.0
        assert (stats["rating_4"], stats["rating_5"], stats["mean_rating"]) == (2, 2, 4.5)
        assert stats["discovery_calls"] == 5
        # one call without an agreement (the rematch) is below 2: it and its complement are hidden
        assert stats["calls_without_agreement"] is None and stats["calls_to_agreement"] is None
        assert stats["discovery_call_to_agreement_rate"] is None and stats["rematch_rate"] is None
        assert stats["median_days_eoi_to_match"] == 0.0

    def test_a_period_with_no_cases_publishes_nothing(self, app, runner, read_models):
        world = self.decide(app, 2, approved=3, declined=3)
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, "2001-Q1")
        assert all(cell.suppressed for cell in stats.cells)

    @pytest.mark.parametrize("period", ["2026-13", "last year", "2026-Q5", "26"])
    def test_a_malformed_period_is_refused(self, period):
        with pytest.raises(Invalid):
            period_bounds(period)

    def test_periods_are_years_quarters_and_months(self):
        assert period_bounds("2026") == ("2026-01-01", "2027-01-01")
        assert period_bounds("2026-Q4") == ("2026-10-01", "2027-01-01")
        assert period_bounds("2026-02") == ("2026-02-01", "2026-03-01")
