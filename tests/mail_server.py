"""A real local SMTP server (aiosmtpd) on a free port, for the reminder tests.

Import the `smtp` fixture into a test module (`from tests.mail_server import smtp`); it points
the app's SMTP settings at the server and yields the Inbox of the mails it received.
"""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler keeping every mail it receives."""

    def __init__(self) -> None:
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        mail = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append((envelope.rcpt_tos, mail))
        return "250 OK"

    def take(self) -> list:
        found, self.mails = self.mails, []
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        SMTP_SECURITY="none",
        SMTP_FROM="handleplan@kommune.example.dk",
        PUBLIC_URL="https://kursus.example.dk",
    )
    try:
        yield inbox
    finally:
        server.stop()


def command_env(app, monkeypatch, today: str) -> None:  # noqa: ANN001
    """The environment `facilitator send-reminders` runs with: this app's database and SMTP."""
    for name, value in {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test",
        "MIGRATE_ON_START": "0",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(app.config["SMTP_PORT"]),
        "SMTP_SECURITY": "none",
        "FACILITATOR_TODAY": today,
    }.items():
        monkeypatch.setenv(name, value)
