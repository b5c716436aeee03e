"""Read links: a committee reads one place's subtree through a token, without an account."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from ..db import db
from ..models import utcnow
from ..plans.rules import PlanError, parse_date
from .models import Place, ReadLink
from .places import OrgError
from .tree import clean_name

LINK_DAYS = 365  # a read link works for a year unless the instructor chooses otherwise
LINK_MAX_DAYS = 3 * 366


def links_of(place: Place) -> list[ReadLink]:
    query = select(ReadLink).where(ReadLink.place_id == place.id)
    return list(db.scalars(query.order_by(ReadLink.created_at.desc(), ReadLink.id.desc())))


def create_link(place: Place, label: str, expires_on: str | None, on: date) -> ReadLink:
    label = clean_name(label, 121) or f"MED for {place.name}"[:120]
    if len(label) > 120:
        raise OrgError("«Hvem er linket til?» er for langt (højst 120 tegn).")
    try:
        until = parse_date(expires_on, "Virker til og med")
    except PlanError as exc:
        raise OrgError(str(exc)) from None
    until = until or on + timedelta(days=LINK_DAYS)
    if until < on:
        raise OrgError("«Virker til og med» skal være i dag eller senere.")
    if until > on + timedelta(days=LINK_MAX_DAYS):
        raise OrgError("Et læselink kan højst virke i tre år. Lav et nyt, når det udløber.")
    link = ReadLink(place_id=place.id, token=secrets.token_urlsafe(32), label=label,
                    expires_on=until)  # fmt: skip
    db.add(link)
    db.commit()
    return link


def revoke_link(link: ReadLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.commit()


def link_by_token(token: str) -> ReadLink | None:
    if not token or len(token) > 64:
        return None
    return db.scalar(select(ReadLink).where(ReadLink.token == token))


def link_state(link: ReadLink, on: date) -> str:
    """One of ok, revoked or expired (from the day after its last day)."""
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if link.expires_on < on else "ok"
