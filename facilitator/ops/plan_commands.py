"""The `facilitator` sub-commands for handleplaner: purge closed plans, send reminders.

Cron jobs on a server (deploy/systemd/facilitator-reminders.timer). Imports stay inside the
functions: the cli imports this module before `facilitator run` patches with gevent.
"""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the plan sub-commands on the `facilitator` parser."""
    purge = sub.add_parser("purge-plans", help="delete plans closed more than N months ago")
    purge.add_argument("--months", type=int, help="default: $PLAN_RETENTION_MONTHS")
    remind = sub.add_parser(
        "send-reminders",
        help="mail plan contacts before deadlines/meetings, and places without a plan "
        "before a round's deadline",
    )
    remind.add_argument("--days", type=int, help="days ahead; default: $PLAN_REMINDER_DAYS")


def run(args: argparse.Namespace) -> int | None:
    """Run one of these sub-commands; None when the command is not one of them."""
    if args.command == "purge-plans":
        return _purge(args)
    if args.command == "send-reminders":
        return _remind(args)
    return None


def _purge(args: argparse.Namespace) -> int:
    from .. import create_app, retention

    app = create_app()
    months = args.months if args.months is not None else app.config["PLAN_RETENTION_MONTHS"]
    if months <= 0:
        print("Ingen opbevaringsperiode er sat (PLAN_RETENTION_MONTHS): ingen planer er slettet.")
        return 0
    with app.app_context():
        count = retention.purge_closed_plans(months)
    print(f"{count} lukkede handleplaner ældre end {months} måneder er slettet.")
    return 0


def _remind(args: argparse.Namespace) -> int:
    from .. import create_app
    from ..org import reminders as place_reminders
    from ..plans import reminders

    app = create_app()
    days = args.days if args.days is not None else app.config["PLAN_REMINDER_DAYS"]
    with app.app_context():
        sent = reminders.send_due(days=days)
        sent += place_reminders.send_due(days=days)
    print(f"{sent} påmindelser er sendt.")
    return 0
