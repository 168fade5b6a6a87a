"""Validation and protection of what people tell us about themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.checks import text
from domain.errors import Invalid, NotAllowed
from domain.protected import Personal, SpecialCategory

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


def special_category(
    subject: str, answers: dict[str, str] | None, consent: bool
) -> SpecialCategory | None:
    """Special-category answers are kept only with the subject's recorded consent."""
    if not answers:
        return None
    if consent is not True:
        raise NotAllowed("special-category data is kept only with the subject's consent")
    unknown = set(answers) - set(SPECIAL_FIELDS)
    if unknown:
        raise Invalid(f"unknown special-category fields: {', '.join(sorted(unknown))}")
    return SpecialCategory(
        subject, {k: text(v, k, 200) for k, v in sorted(answers.items())}
    )
