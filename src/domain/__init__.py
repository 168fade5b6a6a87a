"""Trellis's domain: aggregates, events, invariants. No I/O and no framework imports.

Commands run inside `recording(actor, at)`: every event records who acted, in which role,
when and (for something recorded on a party's behalf) for whom.
"""

from domain.actors import Actor, Role
from domain.case import Case, ClosedReason, Stage, closed_reason_after, stage_after
from domain.errors import Conflict, Invalid, NotAllowed, NotFound, TrellisError
from domain.mentor import Mentor, MentorStatus, Slot, mentor_id, slot_after
from domain.mentor import status_after as mentor_status_after
from domain.partnership import EndReason, Medium, Partnership, PartnershipStatus, Party, ReviewOutcome
from domain.partnership import status_after as partnership_status_after
from domain.people import PersonDetails
from domain.programme import Kind, Matching, Programme, ProgrammeSettings
from domain.protected import ERASED, Confidential, Personal, Protected, SpecialCategory
from domain.holds import HoldTarget, LegalHold
from domain.policy import DataProtectionPolicy
from domain.recording import NotRecording, Recording, recording
from domain.requests import LawfulBasis, RequestKind, RequestState, SubjectRequest

SYSTEM = Actor("system", Role.SYSTEM)  # who erasure and retention act as

__all__ = [
    "ERASED", "SYSTEM", "DataProtectionPolicy", "HoldTarget", "LawfulBasis", "LegalHold", "RequestKind",
    "RequestState", "SubjectRequest", "Actor", "Case", "ClosedReason", "Confidential", "Conflict", "EndReason",
    "Invalid", "Kind", "Matching", "Medium", "Mentor", "MentorStatus", "NotAllowed",
    "NotFound", "NotRecording", "Partnership", "PartnershipStatus", "Party", "PersonDetails", "Personal",
    "Programme", "ProgrammeSettings", "Protected", "Recording", "ReviewOutcome", "Role", "Slot",
    "SpecialCategory", "Stage", "TrellisError", "closed_reason_after", "mentor_id", "mentor_status_after",
    "partnership_status_after", "recording", "slot_after", "stage_after",
]
