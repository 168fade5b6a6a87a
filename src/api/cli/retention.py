"""`trellis retention run|reapply`, `trellis keys rotate-master`, `trellis people adopt`:
the data-protection officer's jobs at the command line."""

from __future__ import annotations

import argparse
import base64
import os
import sys
from pathlib import Path
from typing import Any

from api.settings import Settings

BAR_WIDTH = 30


def register(sub: argparse._SubParsersAction) -> None:
    retention = sub.add_parser("retention", help="retention and erasure").add_subparsers(
        dest="retention_command", required=True)
    run = retention.add_parser("run", help="erase everyone whose retention period has run out")
    run.add_argument("--dry-run", action="store_true", help="list who would be erased; change nothing")
    run.set_defaults(handler=run_retention)
    reapply = retention.add_parser("reapply", help="after restoring a backup: carry out every erasure in the ledger")
    reapply.add_argument("--ledger", type=Path, help="the erasure ledger (default: TRELLIS_ERASURE_LEDGER)")
    reapply.set_defaults(handler=reapply_ledger)

    keys = sub.add_parser("keys", help="the master key").add_subparsers(dest="keys_command", required=True)
    rotate = keys.add_parser("rotate-master", help="re-wrap every data key under the master key in "
                                                   "TRELLIS_NEW_MASTER_KEY")
    rotate.set_defaults(handler=rotate_master)

    people = sub.add_parser("people", help="the person registry").add_subparsers(dest="people_command", required=True)
    people.add_parser("adopt", help="upgrading: link the people an older history names by identity to themselves"
                      ).set_defaults(handler=adopt_people)


def _app(settings: Settings) -> Any:
    from api.bootstrap import build_app

    return build_app(settings)


def run_retention(args: argparse.Namespace, settings: Settings) -> int:
    app = _app(settings)
    try:
        summary = app.run_retention(dry_run=args.dry_run, progress=_bar("retention") if sys.stderr.isatty() else None)
    finally:
        app.close()
    for due in summary.due:
        state = "held by " + due.held_by if due.held_by else ("would erase" if args.dry_run else "erased")
        print(f"{due.person_id}  closed {due.closed_at[:10] or '-'}  {state}")
    verb = "would erase" if args.dry_run else "erased"
    print(f"\n{len(summary.due)} due; {verb} {len(summary.due) - len(summary.held) if args.dry_run else len(summary.erased)};"
          f" {len(summary.held)} kept by a legal hold", file=sys.stderr)
    return 0


def reapply_ledger(args: argparse.Namespace, settings: Settings) -> int:
    from retention.ledger import ErasureLedger

    path = args.ledger or settings.erasure_ledger_path
    if not path.exists():
        print(f"trellis: no erasure ledger at {path}", file=sys.stderr)
        return 2
    app = _app(settings)
    try:
        counts = app.reapply_ledger(ErasureLedger(path))
    finally:
        app.close()
    print(", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in counts.items()))
    return 0


def rotate_master(args: argparse.Namespace, settings: Settings) -> int:
    from api.bootstrap import master_keys
    from retention.keystore import MasterKeys

    encoded = os.environ.get("TRELLIS_NEW_MASTER_KEY", "")
    try:
        new = base64.b64decode(encoded, validate=True)
    except ValueError:
        new = b""
    if len(new) != 32:
        print("trellis: set TRELLIS_NEW_MASTER_KEY to the new 32-byte master key, base64-encoded", file=sys.stderr)
        return 2
    if new == settings.master_key_bytes:
        print("trellis: the new master key is the current one", file=sys.stderr)
        return 2
    current = master_keys(settings)
    app = _app(settings)
    try:
        rewrapped = app.keys.rewrap(MasterKeys(new, [settings.master_key_bytes, *current.previous]))
    finally:
        app.close()
    print(f"re-wrapped {rewrapped} data keys under the new master key.\n"
          "Now set TRELLIS_MASTER_KEY to the new key in every process and restart them. Keep the old key only\n"
          "as long as you may restore a backup taken before this moment; destroying it makes those backups'\n"
          "keys unreadable.")
    return 0


def adopt_people(args: argparse.Namespace, settings: Settings) -> int:
    app = _app(settings)
    try:
        adopted = app.adopt_history_people()
    finally:
        app.close()
    print(f"linked {adopted} people named by identity in the history")
    return 0


def _bar(name: str) -> Any:
    def show(done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        print(f"\r{name:<12} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", end="", file=sys.stderr,
              flush=True)

    return show
