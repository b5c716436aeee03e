"""The programs table: an instructor's own workshop programs, shared with colleagues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..models import Instructor, UTCDateTime, utcnow

program_shares = Table(
    "program_shares",
    Base.metadata,
    Column("program_id", ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    Column("instructor_id", ForeignKey("instructors.id", ondelete="CASCADE"), primary_key=True),
)


class Program(Base):
    """An instructor's program: steps as JSON [{kind, title, content}], the shape of Step."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("instructors.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    # Assigned whole on every edit (a new list), never mutated in place.
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Where it was copied or imported from ("Bibliotek: ...", a file name), shown in the list.
    origin: Mapped[str] = mapped_column(String(200), default="")
    # Increases on every edit: a form based on an older version is refused, not applied.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Instructor] = relationship()
    shared_with: Mapped[list[Instructor]] = relationship(
        secondary=program_shares, order_by="Instructor.name"
    )
