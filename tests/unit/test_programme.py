"""Registering and configuring a programme."""

from __future__ import annotations

import pytest

from domain import Conflict, Invalid, Kind, Matching, NotAllowed, Programme, ProgrammeSettings, Role
from domain_support import ADMIN, assert_recorded, stranger, unique


class TestRegisteringAProgramme:
    def test_records_its_configuration(self, memory_app):
        settings = ProgrammeSettings(
            name=unique("chairs"), kind="coaching", line_manager_approval=False, matching="allocated",
            exploratory_conversations=3, default_duration_months=6, max_duration_months=9, typical_sessions=4,
        )
        pid = memory_app.register_programme(settings, ADMIN).id
        assert memory_app.programme_settings(pid) == settings
        assert (settings.kind, settings.matching) == (Kind.COACHING, Matching.ALLOCATED)
        assert_recorded(memory_app, pid, "Registered", ADMIN)

    def test_only_an_administrator_registers_one(self, memory_app, refused):
        with refused(NotAllowed):
            memory_app.register_programme(ProgrammeSettings(name=unique("p")), stranger(Role.LINE_MANAGER))

    def test_a_second_programme_with_the_same_name_is_a_conflict(self, memory_app, refused):
        name = unique("p")
        memory_app.register_programme(ProgrammeSettings(name=name), ADMIN)
        with refused(Conflict):
            memory_app.register_programme(ProgrammeSettings(name=name), ADMIN)

    def test_it_can_be_reconfigured(self, memory_app, world):
        changed = ProgrammeSettings(name=world.settings.name, max_duration_months=24)
        memory_app.reconfigure_programme(world.programme_id, changed, ADMIN)
        assert memory_app.programme_settings(world.programme_id).max_duration_months == 24
        assert_recorded(memory_app, world.programme_id, "Reconfigured", ADMIN)
        assert memory_app.load(Programme, world.programme_id).version == 2


class TestProgrammeSettings:
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
