"""The tables: thin typed models; the domain logic lives in plain functions elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


def utcnow() -> datetime:
    """Timezone-aware now in UTC; everything is stored in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """DateTime stored naive in UTC (SQLite keeps no zone) and read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


co_instructors = Table(
    "co_instructors",
    Base.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("instructor_id", ForeignKey("instructors.id", ondelete="CASCADE"), primary_key=True),
)


class Instructor(Base):
    __tablename__ = "instructors"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A deactivated instructor cannot log in, and is out at the next request.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Sessions carry the generation they began in; raising it logs out every session.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Course(Base):
    """A hold: the workshops of one course over several days share their participants."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("instructors.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("instructors.id"))
    # lobby -> running -> closed
    status: Mapped[str] = mapped_column(String(16), default="lobby")
    # Index of the current step; -1 while the room is still in the lobby.
    current: Mapped[int] = mapped_column(Integer, default=-1)
    # Increases on every change a screen shows, so a stale fragment can be told apart.
    version: Mapped[int] = mapped_column(Integer, default=1)
    min_anonymous: Mapped[int] = mapped_column(Integer, default=5)
    program: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # The course (hold) this day belongs to; None for a workshop that stands alone.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Instructor] = relationship()
    course: Mapped[Course | None] = relationship()
    co_instructors: Mapped[list[Instructor]] = relationship(secondary=co_instructors)
    steps: Mapped[list[Step]] = relationship(
        back_populates="workshop", order_by="Step.position", cascade="all, delete-orphan"
    )
    groups: Mapped[list[Group]] = relationship(
        back_populates="workshop", order_by="Group.position", cascade="all, delete-orphan"
    )

    @property
    def current_step(self) -> Step | None:
        if 0 <= self.current < len(self.steps):
            return self.steps[self.current]
        return None


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The place (facilitator/org) the group is; the plans it makes on the day belong there.
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_places.id", ondelete="SET NULL"), nullable=True
    )

    workshop: Mapped[Workshop] = relationship(back_populates="groups")


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("workshop_id", "reentry_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str | None] = mapped_column(String(60), nullable=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True
    )
    # The phone's secret; kept in its cookie.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # Short code the phone shows, to come back on another phone (day 2, new phone).
    reentry_code: Mapped[str] = mapped_column(String(12))
    # Added by the instructor for someone without a phone.
    proxy: Mapped[bool] = mapped_column(default=False)
    # The same person on every day of a course: equal keys across the course's workshops.
    person: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group | None] = relationship()


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("workshop_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Instructor-driven state: assigned whole, never mutated in place.
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The day clock (day_clock.py): the program's planned minutes and clock time ("9.00"),
    # and when the instructor first showed the step.
    plan_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    plan_kl: Mapped[str | None] = mapped_column(String(5), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    workshop: Mapped[Workshop] = relationship(back_populates="steps")


class Response(Base):
    """One thing a participant (or a group) submitted in a step."""

    __tablename__ = "responses"
    # owner is "p:<participant id>" or "g:<group id>"; slot is where one answer is allowed
    # (e.g. "answer", "row:3"), so a second answer updates the first instead of adding one.
    __table_args__ = (UniqueConstraint("step_id", "owner", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(24))
    slot: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = [
    "Course",
    "Group",
    "Instructor",
    "Participant",
    "Response",
    "Step",
    "Workshop",
    "co_instructors",
    "utcnow",
]
