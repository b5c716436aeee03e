"""The plan tables: a committee's handleplan, its rows and their dated history.

They outlive the workshop that made them: every link back to it is ON DELETE SET NULL.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..models import UTCDateTime, Workshop, utcnow
from ..org import models as _org_tables  # noqa: F401  (org_places, which place_id points at)


class ActionPlan(Base):
    """A committee's handleplan; reached by long random tokens, not by login."""

    __tablename__ = "action_plans"
    # On the day, one plan per (workshop, group, plan name): `origin` is "<group key>|<name>".
    __table_args__ = (UniqueConstraint("workshop_id", "origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # SET NULL: deleting or anonymising a workshop never deletes its plans.
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"), nullable=True, index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True
    )
    # The instructor whose workshop made it: keeps the plan in their overview afterwards.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("instructors.id", ondelete="SET NULL"), nullable=True, index=True
    )
    origin: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Where in the organisation tree the plan belongs (facilitator/org); None when not linked.
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_places.id", ondelete="SET NULL"), nullable=True, index=True
    )
    group_name: Mapped[str] = mapped_column(String(80), default="")
    stages: Mapped[list[str]] = mapped_column(JSON)
    # None means revoked; renewing makes a new one.
    edit_token: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    view_token: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    next_followup: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_followup: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Random and kept: calendar event ids unique across installations, stable across exports.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    # Who gets the reminders; part of the plan, shown only to those who can edit it.
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # Set when both links are closed; retention deletes closed plans after PLAN_RETENTION_MONTHS.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    workshop: Mapped[Workshop | None] = relationship()
    items: Mapped[list[ActionItem]] = relationship(
        back_populates="plan", order_by="ActionItem.position", cascade="all, delete-orphan"
    )
    reminders: Mapped[list[PlanReminder]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class ActionItem(Base):
    """One row of a plan: what, who, by when, and how far along the statuspil."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    theme: Mapped[str] = mapped_column(String(300), default="")
    activity: Mapped[str] = mapped_column(String(500), default="")
    # Plain text: removing a participant never removes the name from the plan.
    tovholder: Mapped[str] = mapped_column(String(120), default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    priority: Mapped[int] = mapped_column(Integer, default=2)
    stage: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(2000), default="")
    # Where the row came from ("Idétavle", "Tip en 13'er" ...), empty when typed fresh.
    source: Mapped[str] = mapped_column(String(120), default="")
    # "ja", "delvist" or "nej" once the row reached the evaluation stage, with what was learned.
    effect: Mapped[str | None] = mapped_column(String(10), nullable=True)
    learned: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    # Optimistic concurrency: an edit carries the version it was based on.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="items")
    changes: Mapped[list[StatusChange]] = relationship(
        back_populates="item", order_by="StatusChange.id", cascade="all, delete-orphan"
    )


class StatusChange(Base):
    """One dated entry of a row's history: a move on the statuspil, a note or a decision."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_name: Mapped[str] = mapped_column(String(60), default="")
    # None when the row was created.
    from_stage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_stage: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(2000), default="")
    decision: Mapped[str] = mapped_column(String(1000), default="")
    # The evaluation given with a move to the evaluation stage, kept in the dated history.
    effect: Mapped[str | None] = mapped_column(String(10), nullable=True)
    learned: Mapped[str] = mapped_column(String(2000), default="", server_default="")

    item: Mapped[ActionItem] = relationship(back_populates="changes")


class PlanReminder(Base):
    """A reminder mail already sent for one event of a plan (a row's deadline, a meeting)."""

    __tablename__ = "plan_reminders"
    __table_args__ = (UniqueConstraint("plan_id", "event", name="uq_plan_reminders_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"))
    # "row<id>:<deadline>" or "meeting:<date>": a moved deadline is a new event.
    event: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
