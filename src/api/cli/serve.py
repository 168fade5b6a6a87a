"""`trellis serve`, `trellis demo` and `trellis token`: run the HTTP API, and sign in to it."""

from __future__ import annotations

import argparse
import sys

from api.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="serve the HTTP API (and, by default, the projection runner)")
    _listen_options(serve)
    serve.add_argument("--no-projections", action="store_true",
                       help="do not run the projection runner in this process (run `trellis projections run`)")
    serve.add_argument("--workers", type=_positive, default=1,
                       help="API processes on one port (PostgreSQL and --no-projections only; default 1)")
    serve.set_defaults(handler=run_serve)

    demo = sub.add_parser("demo", help="create SQLite storage if needed, load the demo once, and serve it")
    _listen_options(demo)
    demo.set_defaults(handler=run_demo)

    token = sub.add_parser("token", help="issue a development token signed with the shared secret")
    token.add_argument("--sub", required=True, help="the person's id")
    token.add_argument("--role", required=True, action="append", help="a role (repeat for several)")
    token.add_argument("--hours", type=float, default=12.0,
                       help="how long the token is valid (at most TRELLIS_JWT_MAX_TOKEN_HOURS, 12 by default)")
    token.set_defaults(handler=run_token)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a whole number, 1 or more")
    return int(text)


def _listen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.cli.demo_guard import refuse_unless_loopback
    from api.http.app import create_app

    if settings.development:
        refuse_unless_loopback(args.host, f"trellis serve in {settings.environment}")
    if args.workers > 1:
        from api.cli.workers import serve_workers

        return serve_workers(args, settings)
    if args.no_projections:
        settings = settings.model_copy(update={"run_projections": False})
    _serve(create_app(settings), args)
    return 0


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.bootstrap import build_app
    from api.cli.demo_data import load_demo
    from api.cli.demo_guard import prepare_demo_database, refuse_unless_demo_may_run
    from api.http.app import create_app
    from api.services import ManualClock

    refuse_unless_demo_may_run(settings, args.host)
    prepare_demo_database(settings)
    clock = ManualClock()
    trellis = build_app(settings, clock=clock)
    try:
        sign_in = demo_sign_in(settings, load_demo(trellis, clock))
        _print_welcome(args, settings, sign_in)
        _serve(create_app(settings, trellis=trellis, demo_sign_in=sign_in), args)
    finally:
        trellis.close()
    return 0


def run_token(args: argparse.Namespace, settings: Settings) -> int:
    from api.http.auth import issue_token

    try:
        print(issue_token(settings, args.sub, args.role, hours=args.hours))
    except ValueError as error:
        print(f"trellis: {error}", file=sys.stderr)
        return 2
    return 0


def demo_sign_in(settings: Settings, demo: object) -> list[dict[str, str]]:
    """One person per role; the mentee and mentor share an active partnership."""
    from api.http.auth import issue_token

    people = {role: ids[0] for role, ids in demo.people.items() if ids}  # type: ignore[attr-defined]
    active = demo.pairs.get("active") or []  # type: ignore[attr-defined]
    if active:
        people["mentee"], people["mentor"] = active[0]
    hours = settings.jwt_max_token_hours
    return [
        {"role": role, "person_id": person, "token": issue_token(settings, person, [role], hours=hours)}
        for role, person in people.items()
    ]


def _print_welcome(args: argparse.Namespace, settings: Settings, sign_in: list[dict[str, str]]) -> None:
    url = f"http://{args.host}:{args.port}"
    print(f"\nTrellis demo on {settings.persistence} ({settings.sqlite_path if settings.persistence == 'sqlite' else ''})")
    print(f"  dashboard: {url}/dashboard/    API docs: {url}/docs")
    print("  Sign in by pasting a token into the dashboard, or send 'Authorization: Bearer <token>':")
    for entry in sign_in:
        print(f"\n  {entry['role']} ({entry['person_id']}):\n    {entry['token']}")
    print(f"\n  Other people: trellis token --sub <person id> --role <role>\n", flush=True)


def _serve(app: object, args: argparse.Namespace) -> None:
    import uvicorn

    from api.logging import configure_logging

    configure_logging()
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
