"""Free text and names the domain accepts: visible, in the order they are stored, without
control characters. (What the screen would show is what was stored.)"""

from __future__ import annotations

import pytest

from domain import Invalid, PersonDetails, ProgrammeSettings
from domain.checks import text
from app_support import ADMIN, World


class TestNames:
    @pytest.mark.parametrize("name", [
        "\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", "\u00ad", "\u3164", "\u115f\u1160", "\u2800",
        "\u0301\u0301", " \u200b ", "\U000e0041",
    ], ids=["zero-width-space", "zero-width-joiners", "bom-word-joiner", "soft-hyphen", "hangul-filler",
            "hangul-fillers", "blank-braille", "lone-combining-marks", "spaces-around", "tag-character"])
    def test_a_name_of_invisible_characters_only_is_refused(self, name):
        with pytest.raises(Invalid, match="name has no visible characters"):
            PersonDetails(name, "a@example.org")

    @pytest.mark.parametrize("name", ["Sam \u202egnp.exe", "\u202dSam", "Sam\u202a x\u202c", "\u2066Sam\u2069",
                                      "\u2067\u05e9\u05dd\u2069", "Sam\u2068x"])
    def test_a_name_that_reorders_what_follows_is_refused(self, name):
        with pytest.raises(Invalid, match="changes the direction of the text"):
            PersonDetails(name, "a@example.org")

    @pytest.mark.parametrize("name", ["Sam\x00", "Sam\x1b[31m", "Sam\x7f", "Sam\x85x", "Sam\x08x"])
    def test_a_name_with_a_control_character_is_refused(self, name):
        with pytest.raises(Invalid, match="name contains a control character|has no visible"):
            PersonDetails(name, "a@example.org")

    @pytest.mark.parametrize("name", ["Ada Lovelace", "Zoë O\u2019Brien", "José", "\u05d3\u05e0\u05d4 Cohen",
                                      "Dana \u200f\u05d3\u05e0\u05d4\u200e", "\u0645\u0631\u064a\u0645",
                                      "\u674e\u534e", "Na\u0303o"])
    def test_names_in_any_script_with_direction_marks_are_kept(self, name):
        assert PersonDetails(name, "a@example.org").name == name

    def test_a_programme_name_is_checked_when_it_is_registered_or_changed(self, memory_app, refused):
        with refused(Invalid, match="no visible characters"):
            memory_app.register_programme(ProgrammeSettings(name="\u200b\u200b"), ADMIN)
        world = World.create(memory_app)
        with refused(Invalid, match="direction"):
            memory_app.reconfigure_programme(world.programme_id, ProgrammeSettings(name="A \u202e B"), ADMIN)


class TestFreeText:
    def test_line_breaks_and_tabs_are_text(self):
        assert text("first line\n\tsecond line\r\nthird", "notes", 100) == "first line\n\tsecond line\r\nthird"

    def test_empty_optional_text_is_kept_empty(self):
        assert text("   ", "notes", 100) == ""

    def test_optional_text_of_invisible_characters_only_is_refused(self):
        with pytest.raises(Invalid, match="notes has no visible characters"):
            text("\u200b\n\u200b", "notes", 100)

    def test_the_message_names_the_field_and_never_the_input(self):
        with pytest.raises(Invalid) as refusal:
            text("secret \u202e words", "reason", 100)
        assert "reason" in str(refusal.value) and "secret" not in str(refusal.value)
