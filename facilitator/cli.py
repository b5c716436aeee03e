"""The `facilitator` command: run the server, create instructors, apply migrations."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from .ops import commands, plan_commands


def _serve(host: str, port: int) -> None:
    # gevent first: a production-capable server with WebSocket support, no debug, no reloader.
    from gevent import monkey

    monkey.patch_all()
    _answer_without_delay()
    from . import create_app
    from .live import socketio
    from .ops.commands import start_url

    app = create_app()
    print(f"Facilitator kører på {start_url(host, port)}  (stop med Ctrl+C)", flush=True)
    if app.config.get("PUBLIC_URL"):
        print(f"Telefoner bruger {app.config['PUBLIC_URL']}", flush=True)
    socketio.run(app, host=host, port=port, debug=False, use_reloader=False, log_output=False)


def _answer_without_delay() -> None:
    """Turn off Nagle's algorithm on the sockets gevent's server accepts.

    gevent writes a response's headers and body in two sends; on a reused connection the
    second waited for the client's delayed ACK, ~40 ms on every request. Accepted sockets
    inherit TCP_NODELAY from the listening socket (Linux), so setting it there is enough.
    """
    import socket

    from gevent import pywsgi

    make = pywsgi.WSGIServer.get_listener

    def get_listener(cls, address, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        sock = make.__func__(cls, address, *args, **kwargs)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    pywsgi.WSGIServer.get_listener = classmethod(get_listener)


def _create_instructor(args: argparse.Namespace) -> int:
    from . import create_app
    from .views.auth import create_instructor

    password = (
        args.password or os.environ.get("FACILITATOR_PASSWORD") or getpass.getpass("Adgangskode: ")
    )
    app = create_app()
    with app.app_context():
        try:
            instructor = create_instructor(args.name, args.email, password)
        except ValueError as exc:
            print(f"Fejl: {exc}", file=sys.stderr)
            return 2
    print(f"Underviser oprettet: {instructor.name} <{instructor.email}>")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from . import create_app, retention

    with create_app().app_context():
        count = retention.purge(args.days, anonymise_only=args.anonymise)
    done = "anonymiseret" if args.anonymise else "slettet"
    print(f"{count} workshops ældre end {args.days} dage er {done}. Handleplanerne er bevaret.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="facilitator", description="Facilitator")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the server")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    ci = sub.add_parser("create-instructor", help="add an instructor account")
    ci.add_argument("--name", required=True)
    ci.add_argument("--email", required=True)
    ci.add_argument("--password", help="default: $FACILITATOR_PASSWORD, else asked for")
    purge = sub.add_parser("purge", help="delete (or anonymise) old workshops; plans stay")
    purge.add_argument("--days", type=int, required=True, help="workshops older than this")
    purge.add_argument("--anonymise", action="store_true", help="anonymise instead of delete")
    commands.add_commands(sub)
    plan_commands.add_commands(sub)
    args = parser.parse_args(argv)
    if args.command == "run":
        _serve(args.host, args.port)
        return 0
    if args.command == "create-instructor":
        return _create_instructor(args)
    if args.command == "purge":
        return _purge(args)
    found = plan_commands.run(args)
    return found if found is not None else commands.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
