"""The organisation's tables: places in a tree, follow-up rounds, milestones, read links.

A place belongs to the instructor who made its tree (owner_id on every place, so one query
finds a tree). Plans and groups point at places with ON DELETE SET NULL: removing a place
never removes a plan.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..models import UTCDateTime, utcnow


class Place(Base):
    """A kommune, an område/forvaltning, an arbejdsplads/udvalg: one node of the MED tree."""

    __tablename__ = "org_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a tree's root (the kommune); deleting a place is refused while it has children.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_places.id", ondelete="CASCADE"), nullable=True, index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("instructors.id", ondelete="SET NULL"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # The level's Danish name as the municipality uses it: "Område", "Forvaltning", "Udvalg".
    level: Mapped[str] = mapped_column(String(60), default="")
    # Who hears about it when a round's deadline nears and the place has no plan yet.
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Round(Base):
    """A follow-up round such as «Trivselsmåling og APV 2026» over a place's subtree."""

    __tablename__ = "org_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(
        ForeignKey("org_places.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    # Every arbejdsplads under the place is expected to have a plan by this date.
    deadline: Mapped[date] = mapped_column(Date)
    # Plans made before this day belong to an earlier round and are not counted.
    plans_from: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    place: Mapped[Place] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="round", order_by="Milestone.position", cascade="all, delete-orphan"
    )


class Milestone(Base):
    """One date (or span) of a round's timetable: «8/4 Spørgeskemaundersøgelsen igangsættes»."""

    __tablename__ = "org_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("org_rounds.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    round: Mapped[Round] = relationship(back_populates="milestones")


class RoundReminder(Base):
    """A reminder already mailed to a place without a plan before a round's deadline."""

    __tablename__ = "org_round_reminders"
    __table_args__ = (
        UniqueConstraint("round_id", "place_id", "event", name="uq_org_round_reminders_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("org_rounds.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(
        ForeignKey("org_places.id", ondelete="CASCADE"), index=True
    )
    # "deadline:<date>": a moved deadline is a new event.
    event: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReadLink(Base):
    """A secret link that lets a MED committee read one place's subtree, without an account."""

    __tablename__ = "org_read_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(
        ForeignKey("org_places.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # Who it was given to: "KommuneMED", "AfdelingsMED Børn og Unge".
    label: Mapped[str] = mapped_column(String(120), default="")
    # The last day it works.
    expires_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    place: Mapped[Place] = relationship()
