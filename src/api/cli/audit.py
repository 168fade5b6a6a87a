"""`trellis audit checkpoint [--out FILE]`, `trellis audit verify [--checkpoint FILE …]`: the
tamper-evident history at the command line.

A checkpoint is printed (or written to FILE) as a small JSON document to keep outside
Trellis. Verifying checks every checkpoint file first — one signed by another key, or a
malformed one, is one line and exit 2, with nothing read or written — then recomputes the
chain (a progress bar on a terminal) and exits 1 naming the first broken position.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from api.cli.projections import _bar
from api.settings import Settings

COMMAND_LINE = "command-line"  # who ran a verification recorded from here


def register(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="the tamper-evident history").add_subparsers(
        dest="audit_command", required=True)
    checkpoint = audit.add_parser("checkpoint", help="sign the history's head now; keep the checkpoint elsewhere")
    checkpoint.add_argument("--out", type=Path, metavar="FILE", help="write it to FILE (default: print it)")
    checkpoint.set_defaults(handler=take_checkpoint)
    verify = audit.add_parser("verify", help="recompute the hash chain over every event and check checkpoints")
    verify.add_argument("--checkpoint", type=Path, action="append", default=[], metavar="FILE",
                        help="a checkpoint kept outside Trellis (repeat for more)")
    verify.set_defaults(handler=verify_history)


def _app(settings: Settings) -> Any:
    from api.bootstrap import build_app

    return build_app(settings)


def take_checkpoint(args: argparse.Namespace, settings: Settings) -> int:
    if args.out is not None and (args.out.is_dir() or not os.access(args.out.parent.resolve(), os.W_OK)):
        raise OSError(f"cannot write the checkpoint to {args.out}")  # before anything is signed or kept
    app = _app(settings)
    try:
        checkpoint = app.take_checkpoint()
    finally:
        app.close()
    document = json.dumps(checkpoint.document(), indent=2) + "\n"
    if args.out is None:
        print(document, end="")
    else:
        args.out.write_text(document)
        print(f"checkpoint of position {checkpoint.position} written to {args.out}", file=sys.stderr)
    return 0


def verify_history(args: argparse.Namespace, settings: Settings) -> int:
    from domain import Actor, Role

    app = _app(settings)
    try:
        checkpoints = [checkpoint for path in args.checkpoint for checkpoint in _read(path, app)]
        result = app.verify_history(Actor(COMMAND_LINE, Role.SYSTEM), checkpoints,
                                    progress=_bar("verify") if sys.stderr.isatty() else None)
    finally:
        app.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if result.ok:
        print(f"the history verifies: {result.verified} events up to position {result.head} "
              f"(link {result.head_link}); {result.checkpoints} checkpoint(s) held")
        return 0
    print(f"the history is broken at position {result.position}: {result.problem}: {result.detail}\n"
          f"({result.verified} events verified before it, up to position {result.head})")
    return 1


def _read(path: Path, app: Any) -> list[Any]:
    """The checkpoints in a file (one document, or a list of them), each signed by this Trellis's key."""
    from api.persistence.checkpoints import BadCheckpoint, Checkpoint

    try:
        found = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BadCheckpoint(f"{path}: not a checkpoint (not JSON)") from None
    documents = found if isinstance(found, list) else [found]
    try:
        return [app.check_checkpoint(Checkpoint.from_document(document)) for document in documents]
    except BadCheckpoint as error:
        raise BadCheckpoint(f"{path}: {error}") from None
