"""Every event records the actor's id, the actor's role, on whose behalf, and the recording's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import Actor, Case, Mentor, Programme, Role, recording
from domain_support import ADMIN, PROFILE, details, form_partnership, person, settings, triggered
from app_support import NOW, World, events_of, written_since

ROLE_SAYS = {Role.ADMINISTRATOR: "administrator", Role.MENTEE: "mentee", Role.MENTOR: "mentor",
             Role.LINE_MANAGER: "line_manager"}
START = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


class Lifecycle:
    """Runs each command in its own recording, a minute after the last, and checks the events
    it triggers (in any order across aggregates) against the names and on-whose-behalf the
    test wrote for it."""

    def __init__(self) -> None:
        self.minute = 0
        self.aggregates: list = []
        self.seen: list[str] = []

    def step(self, actor: Actor, expected: list[tuple[str, str | None]], command) -> object:
        self.minute += 1
        at = START + timedelta(minutes=self.minute)
        with recording(actor, at):
            made = command()
        if hasattr(made, "collect_events"):  # a new aggregate
            self.aggregates.append(made)
        events = triggered(*self.aggregates)
        assert sorted((type(e).__name__, e.on_behalf_of) for e in events) == sorted(expected)
        for e in events:
            assert (e.actor_id, e.actor_role, e.timestamp) == (actor.id, ROLE_SAYS[actor.role], at), type(e).__name__
        self.seen += [name for name, _ in expected]
        return made


class TestEveryEventIsStamped:
    def test_across_the_whole_lifecycle_with_the_time_of_its_own_recording(self):
        mentee, manager, mentor_person = person(Role.MENTEE), person(Role.LINE_MANAGER), person(Role.MENTOR)
        run = Lifecycle()
        config = settings(exploratory_conversations=1)
        programme = run.step(ADMIN, [("Registered", None)], lambda: Programme.register(config))
        run.step(ADMIN, [("Reconfigured", None)], lambda: programme.reconfigure(config))
        mentor = run.step(mentor_person, [("InterestExpressed", None)], lambda: Mentor.express_interest(
            programme.id, mentor_person.id, details(mentor_person.id)))
        run.step(ADMIN, [("TrainingCompleted", None)], lambda: mentor.complete_training(START.date()))
        run.step(ADMIN, [("JoinedPool", mentor_person.id)], lambda: mentor.join_pool(1, PROFILE))
        run.step(mentor_person, [("CapacityChanged", None)], lambda: mentor.change_capacity(2))
        run.step(ADMIN, [("Paused", mentor_person.id)], mentor.pause)
        run.step(mentor_person, [("Resumed", None)], mentor.resume)
        case = run.step(mentee, [("EOISubmitted", None)], lambda: Case.submit_eoi(
            programme.id, config, mentee.id, details(mentee.id), "statement", manager.id))
        run.step(manager, [("LineManagerApproved", None)], case.approve)
        run.step(ADMIN, [("ExploratoryConversationHeld", mentee.id)],
                 lambda: case.hold_exploratory_conversation(mentor.id, START.date()))
        run.step(mentee, [("MatchingRequestSubmitted", None)], lambda: case.submit_matching_request([mentor.id], "g"))
        run.step(ADMIN, [("MatchProposed", None), ("SlotHeld", None)],
                 lambda: [case.propose_match(mentor.id, "r"), mentor.hold_slot(case.id)])
        run.step(mentor_person, [("DiscoveryCallHeld", None)], lambda: case.record_discovery_call(START.date()))
        run.step(ADMIN, [("MatchConfirmed", None), ("SlotConfirmed", None)],
                 lambda: [case.confirm_match(), mentor.confirm_slot(case.id)])
        partnership = run.step(ADMIN, [("PartnershipFormed", None)],
                               lambda: form_partnership(case, mentor, config))
        run.step(mentee, [("AgreementSigned", None)], lambda: partnership.sign_agreement("mentee"))
        run.step(ADMIN, [("AgreementSigned", mentor_person.id), ("PartnershipStarted", None)],
                 lambda: partnership.sign_agreement("mentor"))
        run.step(mentor_person, [("SessionHeld", None)],
                 lambda: partnership.record_session(START.date(), 45, "video", "n", "a"))
        run.step(mentee, [("ProgressReviewed", None)], lambda: partnership.review_progress("extend", "notes"))
        run.step(mentee, [("ExtensionRequested", None)], lambda: partnership.request_extension(1))
        run.step(ADMIN, [("ExtensionGranted", None)], lambda: partnership.grant_extension(mentor, 0))
        run.step(mentor_person, [("ExtensionRequested", None)], lambda: partnership.request_extension(1))
        run.step(ADMIN, [("ExtensionDeclined", None)], partnership.decline_extension)
        run.step(mentee, [("PartnershipEnded", None), ("CaseClosed", None), ("SlotReleased", None)],
                 lambda: [partnership.end("completed"), case.close_after_partnership(),
                          mentor.release_slot(case.id)])
        run.step(ADMIN, [("FeedbackRequested", None)], partnership.request_feedback)
        run.step(mentor_person, [("FeedbackSubmitted", None)], lambda: partnership.submit_feedback(4, "useful"))
        run.step(mentor_person, [("LeftPool", None)], mentor.leave_pool)

        declined = run.step(ADMIN, [("EOISubmitted", mentee.id)], lambda: Case.submit_eoi(
            programme.id, config, mentee.id, details(mentee.id), "again", manager.id))
        run.step(manager, [("LineManagerDeclined", None)], lambda: declined.decline("not now"))

        rematched = run.step(mentee, [("EOISubmitted", None)], lambda: Case.submit_eoi(
            programme.id, settings(line_manager_approval=False, matching="allocated"), mentee.id,
            details(mentee.id), "third", None))
        run.step(ADMIN, [("MatchProposed", None)], lambda: rematched.propose_match(mentor.id, "r"))
        run.step(mentee, [("RematchRequested", None)], lambda: rematched.request_rematch("no blame"))
        run.step(ADMIN, [("Withdrawn", mentee.id)], lambda: rematched.withdraw("moving on"))

        assert set(run.seen) == {
            "Registered", "Reconfigured", "InterestExpressed", "TrainingCompleted", "JoinedPool",
            "CapacityChanged", "Paused", "Resumed", "EOISubmitted", "LineManagerApproved",
            "ExploratoryConversationHeld", "MatchingRequestSubmitted", "MatchProposed", "SlotHeld",
            "DiscoveryCallHeld", "MatchConfirmed", "SlotConfirmed", "PartnershipFormed", "AgreementSigned",
            "PartnershipStarted", "SessionHeld", "ProgressReviewed", "ExtensionRequested", "ExtensionGranted",
            "ExtensionDeclined", "PartnershipEnded", "CaseClosed", "SlotReleased", "FeedbackRequested",
            "FeedbackSubmitted", "LeftPool", "LineManagerDeclined", "RematchRequested", "Withdrawn",
        }


class TestThroughTheServices:
    def test_events_carry_the_services_clock_and_the_actor(self, memory_app):
        world = World.create(memory_app)
        mid, mentor = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        written = written_since(memory_app, 0)
        assert len(written) == 9  # registered; interest, training, pool; EOI, approval, request, proposal, slot
        assert {e.timestamp for e in written} == {NOW}
        assert {(e.actor_id, e.actor_role) for e in written} == {
            ("admin-1", "administrator"), (mentor.id, "mentor"), (case["mentee"].id, "mentee"),
            (case["manager"].id, "line_manager"),
        }

    def test_moving_the_clock_moves_the_time_recorded(self, memory_app, clock):
        world = World.create(memory_app)
        mid, mentor = world.mentor()
        later = datetime(2026, 7, 15, 14, 0, tzinfo=UTC)
        clock.set(later)
        memory_app.pause_mentor(mid, mentor)
        stamps = [e.timestamp for e in events_of(memory_app, mid)]
        assert stamps == [NOW, NOW, NOW, later]
