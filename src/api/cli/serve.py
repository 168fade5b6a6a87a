"""`trellis serve`, `trellis demo` and `trellis token`: run the HTTP API, and sign in to it."""

from __future__ import annotations

import argparse

from api.settings import Settings

DEMO_TOKEN_HOURS = 24 * 30


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="serve the HTTP API (and, by default, the projection runner)")
    _listen_options(serve)
    serve.add_argument("--no-projections", action="store_true",
                       help="do not run the projection runner in this process (run `trellis projections run`)")
    serve.set_defaults(handler=run_serve)

    demo = sub.add_parser("demo", help="create SQLite storage if needed, load the demo once, and serve it")
    _listen_options(demo)
    demo.set_defaults(handler=run_demo)

    token = sub.add_parser("token", help="issue a development token signed with the shared secret")
    token.add_argument("--sub", required=True, help="the person's id")
    token.add_argument("--role", required=True, action="append", help="a role (repeat for several)")
    token.add_argument("--hours", type=float, default=12.0, help="how long the token is valid")
    token.set_defaults(handler=run_token)


def _listen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.http.app import create_app

    if args.no_projections:
        settings = settings.model_copy(update={"run_projections": False})
    _serve(create_app(settings), args)
    return 0


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.bootstrap import build_app, init_database
    from api.cli.demo_data import load_demo
    from api.http.app import create_app
    from api.services import ManualClock

    init_database(settings)
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
        print(f"trellis: {error}")
        return 2
    return 0


def demo_sign_in(settings: Settings, demo: object) -> list[dict[str, str]]:
    """One person per role; the mentee and mentor share an active partnership."""
    from api.http.auth import issue_token

    people = {role: ids[0] for role, ids in demo.people.items() if ids}  # type: ignore[attr-defined]
    active = demo.pairs.get("active") or []  # type: ignore[attr-defined]
    if active:
        people["mentee"], people["mentor"] = active[0]
    return [
        {"role": role, "person_id": person, "token": issue_token(settings, person, [role], hours=DEMO_TOKEN_HOURS)}
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
