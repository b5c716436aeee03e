"""Dates and times the Danish way, in Europe/Copenhagen; stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MONTHS = [
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]


def local(moment: datetime) -> datetime:
    """A stored UTC moment in Danish local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN)


def danish_date(value: date | datetime | None) -> str:
    """25. feb. 2026"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def danish_time(value: datetime | None) -> str:
    """kl. 13.05"""
    if value is None:
        return ""
    t = local(value)
    return f"kl. {t.hour:02d}.{t.minute:02d}"


def danish_datetime(value: datetime | None) -> str:
    """25. feb. 2026 kl. 13.05"""
    return f"{danish_date(value)} {danish_time(value)}" if value else ""


def epoch_ms(value: datetime | str | None) -> int | None:
    """Milliseconds since the epoch, for timers counted down in the browser."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)
