"""Validation and protection of what people tell us about themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.checks import text
from domain.errors import Invalid, NotAllowed
from domain.protected import Personal, SpecialCategory
from domain.recording import actor

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
SPECIAL_FIELDS = ("ethnicity", "disability", "lived_experience")



@dataclass(frozen=True)
class PersonDetails:
    """Who someone is, as they submitted it on a form."""

    name: str
    email: str
    job_title: str = ""
    organisation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", text(self.name, "name", 200, required=True))
        email = text(self.email, "email", 320, required=True)
        if not EMAIL.match(email):
            raise Invalid("email is not a valid address")
        object.__setattr__(self, "email", email)
        object.__setattr__(self, "job_title", text(self.job_title, "job_title", 200))
        object.__setattr__(self, "organisation", text(self.organisation, "organisation", 200))

    def protect(self, subject: str) -> dict[str, Personal]:
        return {
            "name": Personal(subject, self.name),
            "email": Personal(subject, self.email),
            "job_title": Personal(subject, self.job_title),
            "organisation": Personal(subject, self.organisation),
        }


PURPOSE = "matching"


def special_category(
    subject: str, answers: dict[str, str] | None, consent: bool
) -> tuple[SpecialCategory, Personal]:
    """The special-category answers and the consent they are kept under, both encrypted.

    Answers are given by the subject alone — never by someone on their behalf — and kept
    only with their consent, for matching. Every matching request and pool entry carries
    both values, answers or none, so the stored event does not tell who gave answers.
    """
    answers = answers or {}
    if answers:
        if actor().id != subject:
            raise NotAllowed("special-category answers are given by the person themselves, never on their behalf")
        if consent is not True:
            raise NotAllowed("special-category data is kept only with the subject's consent")
        unknown = set(answers) - set(SPECIAL_FIELDS)
        if unknown:
            raise Invalid(f"unknown special-category fields: {', '.join(sorted(unknown))}")
    kept = {k: text(v, k, 200) for k, v in sorted(answers.items())}
    return SpecialCategory(subject, kept), consent_record(subject, given=bool(kept))


def consent_record(subject: str, given: bool) -> Personal:
    """What the consent ledger shows: whether special-category answers are kept, and for what."""
    return Personal(subject, {"special_category": given, "purpose": PURPOSE})
