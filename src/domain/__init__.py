"""Trellis's domain: aggregates, events, invariants. No I/O and no framework imports."""

from domain.actors import Actor, Role
from domain.case import Case, ClosedReason, Stage
from domain.errors import Conflict, Invalid, NotAllowed, NotFound, TrellisError
from domain.mentor import Mentor, MentorStatus, mentor_id
from domain.partnership import EndReason, Medium, Partnership, PartnershipStatus, Party, ReviewOutcome
from domain.people import PersonDetails
from domain.programme import Kind, Matching, Programme, ProgrammeSettings
from domain.protected import ERASED, Confidential, Personal, Protected, SpecialCategory

__all__ = [
    "ERASED", "Actor", "Case", "ClosedReason", "Confidential", "Conflict", "EndReason",
    "Invalid", "Kind", "Matching", "Medium", "Mentor", "MentorStatus", "NotAllowed",
    "NotFound", "Partnership", "PartnershipStatus", "Party", "PersonDetails", "Personal",
    "Programme", "ProgrammeSettings", "Protected", "ReviewOutcome", "Role",
    "SpecialCategory", "Stage", "TrellisError", "mentor_id",
]
