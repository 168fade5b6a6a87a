"""`trellis audit checkpoint` and `trellis audit verify` in real processes, on SQLite and PostgreSQL:
a checkpoint printed or written to a file, held against the history; a tampered history named at
its first broken position, exit 1; a malformed checkpoint, one signed by another key or altered
after signing: one line, exit non-zero, nothing written; a progress bar on a terminal."""

from __future__ import annotations

import base64
import json
import os
import pty
import subprocess
import sys

import pytest

from api.bootstrap import build_app
from chain_support import EVENTS, POSITION, connect
from lifecycle import World

OTHER_KEY = base64.b64encode(b"another trellis's audit key!!!!!").decode()


def trellis(settings, *args: str, tty: bool = False, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")} | {
        "TRELLIS_ENVIRONMENT": "development", "TRELLIS_PERSISTENCE": settings.persistence,
        "TRELLIS_DATA_DIR": str(settings.data_dir), "TRELLIS_POSTGRES_DBNAME": settings.postgres_dbname,
        "TRELLIS_POSTGRES_HOST": settings.postgres_host, "TRELLIS_POSTGRES_PORT": str(settings.postgres_port),
        "TRELLIS_POSTGRES_USER": settings.postgres_user,
    } | env
    if not tty:
        return subprocess.run([sys.executable, "-m", "api.cli", *args], env=clean, capture_output=True, text=True,
                              timeout=120)
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "api.cli", *args], env=clean, stdout=subprocess.PIPE,
                              stderr=terminal, text=True, timeout=120)
        os.close(terminal)
        terminal = -1
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, seen.decode(errors="replace"))


def one_line_failure(result: subprocess.CompletedProcess, mentions: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: ") and mentions in lines[0], lines


def rows(settings, table: str) -> int:
    with connect(settings) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def history(store):
    app = build_app(store)
    try:
        world = World.create(app)
        world.case("active", world.mentor()[0])
    finally:
        app.close()
    return store


class TestCheckpoints:
    def test_printed_and_written_to_a_file_then_held_against_the_history(self, history, tmp_path):
        printed = trellis(history, "audit", "checkpoint")
        assert printed.returncode == 0, printed.stderr
        document = json.loads(printed.stdout)
        assert document["format"] == "trellis-checkpoint/1" and document["algorithm"] == "Ed25519"
        assert document["position"] == rows(history, EVENTS[history.persistence])
        out = tmp_path / "held" / "checkpoint.json"
        out.parent.mkdir()
        assert trellis(history, "audit", "checkpoint", "--out", str(out)).returncode == 0
        assert json.loads(out.read_text())["position"] == document["position"]
        (tmp_path / "both.json").write_text(json.dumps([document, json.loads(out.read_text())]))

        verified = trellis(history, "audit", "verify", "--checkpoint", str(out), "--checkpoint",
                           str(tmp_path / "both.json"))
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert verified.stdout.startswith(f"the history verifies: {document['position']} events")
        assert rows(history, "trellis_chain_verifications") == 1

    def test_a_file_that_cannot_be_written_signs_nothing(self, history, tmp_path):
        result = trellis(history, "audit", "checkpoint", "--out", str(tmp_path / "missing" / "checkpoint.json"))
        one_line_failure(result, "cannot write")
        assert rows(history, "trellis_checkpoints") == 0

    @pytest.mark.parametrize(("content", "mentions"), [
        ("not json at all", "not JSON"),
        ('{"format": "trellis-checkpoint/1", "position": "ten"}', "malformed"),
        ('{"format": "something-else/1"}', "not a checkpoint"),
        ("[1, 2]", "JSON object"),
    ])
    def test_a_malformed_file_is_one_line_and_writes_nothing(self, history, tmp_path, content, mentions):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        one_line_failure(trellis(history, "audit", "verify", "--checkpoint", str(bad)), mentions)
        assert rows(history, "trellis_chain_verifications") == 0

    def test_one_signed_by_another_key_is_refused(self, history, tmp_path):
        foreign = trellis(history, "audit", "checkpoint", TRELLIS_AUDIT_SIGNING_KEY=OTHER_KEY)
        assert foreign.returncode == 0, foreign.stderr
        (tmp_path / "foreign.json").write_text(foreign.stdout)
        one_line_failure(trellis(history, "audit", "verify", "--checkpoint", str(tmp_path / "foreign.json")),
                         "signed by another key")
        assert rows(history, "trellis_chain_verifications") == 0

    def test_one_altered_after_signing_is_refused(self, history, tmp_path):
        document = json.loads(trellis(history, "audit", "checkpoint").stdout)
        document["link"] = "0" * 64
        document.pop("signed")
        (tmp_path / "altered.json").write_text(json.dumps(document))
        one_line_failure(trellis(history, "audit", "verify", "--checkpoint", str(tmp_path / "altered.json")),
                         "does not match its signature")
        assert rows(history, "trellis_chain_verifications") == 0


class TestVerify:
    def test_names_the_first_broken_position_and_exits_1(self, history, tmp_path):
        kind = history.persistence
        with connect(history) as connection:
            position = connection.execute(f"SELECT {POSITION[kind]} FROM {EVENTS[kind]} ORDER BY {POSITION[kind]} "
                                          f"LIMIT 1 OFFSET 4").fetchone()[0]
            connection.execute(f"UPDATE {EVENTS[kind]} SET topic = topic || 'x' WHERE {POSITION[kind]} = {position}")
        result = trellis(history, "audit", "verify")
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout.startswith(f"the history is broken at position {position}: changed: ")
        assert f"({position - 1} events verified before it" in result.stdout

    def test_shows_a_progress_bar_on_a_terminal_and_none_otherwise(self, history):
        on_terminal = trellis(history, "audit", "verify", tty=True)
        assert on_terminal.returncode == 0 and "verify" in on_terminal.stderr and "100%" in on_terminal.stderr
        assert "100%" not in trellis(history, "audit", "verify").stderr
