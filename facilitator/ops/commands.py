"""The `facilitator` sub-commands for running a server: migrate, backup and accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sqlite3
import sys
from pathlib import Path


def lan_address() -> str | None:
    """This machine's address on the local network (the one a phone on the wifi can reach)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # No packet is sent: connecting a UDP socket only picks the outgoing interface.
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def start_url(host: str, port: int) -> str:
    """The address to print at start: for 0.0.0.0 the LAN address, never localhost."""
    if host in ("0.0.0.0", "::"):
        host = lan_address() or socket.gethostname()
    return f"http://{host}:{port}/"


def _config() -> dict:
    from flask import Flask

    from .. import config

    # The same instance folder create_app() uses.
    instance = os.environ.get("INSTANCE_PATH") or None
    return config.load(Flask("facilitator", instance_path=instance).instance_path)


def migrate(_args: argparse.Namespace) -> int:
    """Apply migrations (under PostgreSQL's advisory lock), without starting the app."""
    from .. import db

    url = os.environ.get("DATABASE_URL") or _config()["DATABASE_URL"]
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
    finally:
        engine.dispose()
    print("Databasen er opdateret.")
    return 0


def backup(args: argparse.Namespace) -> int:
    """Copy the SQLite database while the server runs (SQLite's online backup API)."""
    url = _config()["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        print(
            "Fejl: backup gælder den indbyggede SQLite-database. Brug pg_dump til PostgreSQL "
            "(se README, 'Sikkerhedskopi').",
            file=sys.stderr,
        )
        return 2
    source = Path(url.removeprefix("sqlite:///"))
    if not source.exists():
        print(f"Fejl: databasen {source} findes ikke.", file=sys.stderr)
        return 2
    target = Path(args.file)
    if target.exists():
        print(f"Fejl: {target} findes allerede; vælg et nyt filnavn.", file=sys.stderr)
        return 2
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    print(f"Sikkerhedskopi gemt i {target}")
    return 0


def _account(action: str, args: argparse.Namespace) -> int:
    from .. import accounts, create_app

    with create_app().app_context():
        try:
            if action == "set-password":
                password = os.environ.get("FACILITATOR_PASSWORD") or getpass.getpass(
                    "Ny adgangskode: "
                )
                instructor = accounts.set_password(args.email, password)
                done = "har fået en ny adgangskode og er logget ud overalt"
            else:
                instructor = accounts.set_active(args.email, action == "activate-instructor")
                done = "er aktiv igen" if instructor.active else "er deaktiveret og logget ud"
        except ValueError as exc:
            print(f"Fejl: {exc}", file=sys.stderr)
            return 2
    print(f"{instructor.name} <{instructor.email}> {done}.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the server sub-commands on the `facilitator` parser."""
    sub.add_parser("migrate", help="apply database migrations (safe to run from many processes)")
    bk = sub.add_parser("backup", help="copy the SQLite database to a file, while it runs")
    bk.add_argument("file", help="the new backup file")
    for name, text in (
        ("set-password", "give an instructor a new password (asked for, or $FACILITATOR_PASSWORD)"),
        ("deactivate-instructor", "stop an instructor from logging in; ends their sessions"),
        ("activate-instructor", "let a deactivated instructor log in again"),
    ):
        sub.add_parser(name, help=text).add_argument("--email", required=True)


def run(args: argparse.Namespace) -> int | None:
    """Run one of these sub-commands; None when the command is not one of them."""
    if args.command == "migrate":
        return migrate(args)
    if args.command == "backup":
        return backup(args)
    if args.command in ("set-password", "deactivate-instructor", "activate-instructor"):
        return _account(args.command, args)
    return None
