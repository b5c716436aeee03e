"""Sending a mail through the installation's SMTP server, or to the console without one.

Settings: SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_SECURITY
(starttls, ssl or none). Without SMTP_HOST (`make run`) the mail is printed instead, so a
demo shows what would have been sent.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..db import db

log = logging.getLogger(__name__)


def ascii_domain(address: str) -> str:
    """trio@ærø.dk -> trio@xn--r-3fa9c.dk: servers without SMTPUTF8 take the IDNA form."""
    local, _, domain = address.rpartition("@")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def message(config: dict[str, Any], to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 mail from SMTP_FROM."""
    mail = EmailMessage()
    mail["From"] = config["SMTP_FROM"]
    mail["To"] = ascii_domain(to)
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    sender_domain = config["SMTP_FROM"].rpartition("@")[2] or "facilitator"
    mail["Message-ID"] = make_msgid(domain=sender_domain)
    mail.set_content(body)
    return mail


def send(config: dict[str, Any], mail: EmailMessage) -> None:
    """Deliver the mail; raises OSError or smtplib.SMTPException when the server refuses it."""
    host = config.get("SMTP_HOST")
    if not host:
        # Readable on the console: headers and body as text, not MIME-encoded.
        head = "\n".join(f"{k}: {v}" for k, v in mail.items())
        print(f"{head}\n\n{mail.get_content()}", file=sys.stdout, flush=True)
        return
    port, security = int(config["SMTP_PORT"]), config.get("SMTP_SECURITY") or "none"
    context = ssl.create_default_context()
    if security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=30, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=30)
    with server:
        if security == "starttls":
            server.starttls(context=context)
        if config.get("SMTP_USER"):
            server.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        server.send_message(mail)


def send_once(config: dict[str, Any], mail: EmailMessage, records: list[Any]) -> bool:
    """Store `records` (what says this mail went out), then send; True when it was sent.

    Stored first, in their own commit, so two runs at once never mail twice: the second one's
    commit breaks a unique key and it sends nothing. A mail the server refuses takes its
    records back with it, so the next run tries again.
    """
    db.add_all(records)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        return False
    try:
        send(config, mail)
    except (OSError, smtplib.SMTPException):
        log.exception("a reminder was not sent; the next run tries again")
        for record in records:
            db.delete(record)
        db.commit()
        return False
    return True
