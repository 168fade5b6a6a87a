"""The shape the code keeps: what the domain may import and read, how events record the actor,
and that every command of the services is a method of its own."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

import pytest

import domain
from api.services import Trellis
from domain import Case, Mentor, Partnership, Programme

SRC = Path(__file__).parents[2] / "src"
ALLOWED_IN_DOMAIN = {"domain", "eventsourcing.domain", "__future__"}
CLOCKS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("time", "time"),
          ("time", "monotonic"), ("time", "time_ns")}


def modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


class TestTheDomain:
    @pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
    def test_imports_only_the_standard_library_and_the_librarys_domain(self, path):
        outside = {
            name for name in imported(path)
            if name.split(".")[0] not in sys.stdlib_module_names
            and not any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED_IN_DOMAIN)
        }
        assert outside == set()

    @pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
    def test_never_reads_a_clock(self, path):
        calls = {
            (node.func.value.id, node.func.attr)
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        }
        assert calls & CLOCKS == set()

    def test_the_checker_would_see_a_clock_read(self, tmp_path):
        planted = tmp_path / "planted.py"
        planted.write_text("from datetime import date\n\ndef f():\n    return date.today()\n")
        calls = {(n.func.value.id, n.func.attr) for n in ast.walk(ast.parse(planted.read_text()))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)}
        assert calls & CLOCKS == {("date", "today")}


def event_classes() -> list[type]:
    return [
        cls for aggregate in (Programme, Mentor, Case, Partnership) for cls in vars(aggregate).values()
        if isinstance(cls, type) and issubclass(cls, aggregate.Event) and cls is not aggregate.Event
    ]


class TestEvents:
    @pytest.mark.parametrize("cls", event_classes(), ids=lambda c: c.__qualname__)
    def test_take_no_actor_arguments_and_record_who_and_for_whom_from_the_base_event(self, cls):
        recorded = {"actor_id", "actor_role", "on_behalf_of"}
        assert recorded <= set(cls.__dataclass_fields__)
        assert recorded & set(inspect.signature(cls.__init__).parameters) == set()

    def test_there_are_events_of_every_aggregate(self):
        owners = {cls.__qualname__.split(".")[0] for cls in event_classes()}
        assert owners == {"Programme", "Mentor", "Case", "Partnership"}
        assert len(event_classes()) >= 36


class TestTheServices:
    def test_have_no_string_dispatch_to_the_aggregates(self):
        for path in modules("api/services"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                        and not isinstance(node.args[1], ast.Constant)):
                    pytest.fail(f"{path.name}:{node.lineno} dispatches by a name it was given")

    def test_every_command_is_a_typed_method_answering_with_its_own_position(self):
        commands = {name: method for name, method in inspect.getmembers(Trellis, inspect.isfunction)
                    if inspect.signature(method).return_annotation == "Recorded" and not name.startswith("_")}
        assert len(commands) >= 28
        for name, method in commands.items():
            parameters = inspect.signature(method).parameters
            assert "actor" in parameters, name
            assert not any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters.values()), name

    def test_the_domain_package_names_what_it_exports(self):
        assert {"recording", "stage_after", "Recording"} <= set(domain.__all__)
