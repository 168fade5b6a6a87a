"""Registering and configuring a programme."""

from __future__ import annotations

import pytest

from domain import Conflict, Invalid, NotAllowed, Programme, ProgrammeSettings, Role, recording
from domain_support import ADMIN, AT, person, refuses, triggered
from app_support import assert_recorded, unique

CHAIRS = {
    "kind": "coaching", "line_manager_approval": False, "matching": "allocated", "exploratory_conversations": 3,
    "default_duration_months": 6, "max_duration_months": 9, "typical_sessions": 4,
}


class TestRegisteringAProgramme:
    def test_records_its_configuration(self):
        name = unique("chairs")
        with recording(ADMIN, AT):
            programme = Programme.register(ProgrammeSettings(name=name, **CHAIRS))
        (event,) = triggered(programme)
        assert type(event).__name__ == "Registered"
        assert event.settings == {
            "name": name, "kind": "coaching", "line_manager_approval": False, "matching": "allocated",
            "exploratory_conversations": 3, "default_duration_months": 6, "max_duration_months": 9,
            "typical_sessions": 4, "feedback_forms": True, "small_group_threshold": 5, "retention_months": 72,
        }
        assert programme.settings == ProgrammeSettings(name=name, **CHAIRS)

    def test_its_name_is_its_identity(self):
        with recording(ADMIN, AT):
            first = Programme.register(ProgrammeSettings(name="Chairs' Service"))
            again = Programme.register(ProgrammeSettings(name="  chairs' service "))
            other = Programme.register(ProgrammeSettings(name="Early career"))
        assert first.id == again.id
        assert first.id != other.id

    @pytest.mark.parametrize("role", [Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE, Role.AUDITOR])
    def test_only_an_administrator_registers_one(self, role):
        with recording(person(role), AT), pytest.raises(NotAllowed):
            Programme.register(ProgrammeSettings(name=unique("p")))

    def test_a_second_programme_with_the_same_name_is_a_conflict(self, memory_app, refused):
        name = unique("p")
        pid = memory_app.register_programme(ProgrammeSettings(name=name), ADMIN).id
        assert_recorded(memory_app, pid, "Registered", ADMIN)
        with refused(Conflict, match="already exists"):
            memory_app.register_programme(ProgrammeSettings(name=name, max_duration_months=24), ADMIN)
        assert memory_app.programme_settings(pid).max_duration_months == 18


class TestReconfiguringAProgramme:
    def test_records_the_new_settings(self):
        name = unique("p")
        with recording(ADMIN, AT):
            programme = Programme.register(ProgrammeSettings(name=name))
            programme.reconfigure(ProgrammeSettings(name=name, max_duration_months=24))
        assert [type(e).__name__ for e in triggered(programme)] == ["Registered", "Reconfigured"]
        assert (programme.settings.max_duration_months, programme.version) == (24, 2)

    def test_only_an_administrator_reconfigures(self):
        name = unique("p")
        with recording(ADMIN, AT):
            programme = Programme.register(ProgrammeSettings(name=name))
        triggered(programme)
        with recording(person(Role.LINE_MANAGER), AT), refuses(programme):
            programme.reconfigure(ProgrammeSettings(name=name, max_duration_months=24))

    def test_through_the_services(self, memory_app, world):
        changed = ProgrammeSettings(world.settings.name, typical_sessions=8)
        memory_app.reconfigure_programme(world.programme_id, changed, ADMIN)
        assert memory_app.programme_settings(world.programme_id).typical_sessions == 8
        assert_recorded(memory_app, world.programme_id, "Reconfigured", ADMIN)


class TestProgrammeSettings:
    def test_default_to_a_mentoring_year_with_approval(self):
        defaults = ProgrammeSettings(name="Programme")
        assert (defaults.kind, defaults.line_manager_approval, defaults.matching) == (
            "mentoring", True, "self_selected",
        )
        assert (defaults.default_duration_months, defaults.max_duration_months, defaults.typical_sessions) == (
            12, 18, 6,
        )

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"name": " "}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"kind": "therapy"}, "kind"),
            ({"matching": "lottery"}, "matching"),
            ({"exploratory_conversations": 11}, "exploratory"),
            ({"default_duration_months": 0}, "default_duration"),
            ({"max_duration_months": 61}, "max_duration"),
            ({"default_duration_months": 13, "max_duration_months": 12}, "exceeds the maximum"),
            ({"typical_sessions": 0}, "typical_sessions"),
            ({"small_group_threshold": 1}, "small_group_threshold"),
            ({"retention_months": 0}, "retention"),
        ],
    )
    def test_bad_settings_are_invalid(self, change, message):
        with pytest.raises(Invalid, match=message):
            ProgrammeSettings(**({"name": "Programme"} | change))
