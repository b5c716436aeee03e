"""The workshop write domain: create from a program, join, advance, act.

Every function ends in `changes.commit`, which bumps the version, commits and tells the
screens. Reads come from `reading`; answers have their own entry point in `answers`.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from . import changes, countdown
from .db import db
from .kinds import Rejected, kind_of
from .models import Course, Group, Instructor, Participant, Step, Workshop, utcnow
from .reading import step_view

if TYPE_CHECKING:
    from .programs import Program

# No 0/O, 1/I/L: codes are read off a projector and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
NAME_MAX = 60
# The personal re-entry code: ten digits, shown as "12345 67890", typed with or without the
# space. Why ten: re-entry is throttled to REENTRY_PER_WORKSHOP = 30 attempts a minute per
# workshop, whoever and from however many addresses. An attacker guessing nonstop for a
# whole month (phones keep their identity 31 days) gets 30 * 60 * 24 * 31 = 1,339,200 tries;
# against 200 participants each try hits with p = 200 / 10^10, so the expected number of
# takeovers is 1,339,200 * 200 / 10^10 = 0.027, and over a two-day course 0.0017.
# Five-digit codes from before (8^5 = 32,768 values) keep working, under a budget of their own.
REENTRY_DIGITS = "0123456789"
REENTRY_LENGTH = 10
REENTRY_PER_WORKSHOP = 30
REENTRY_PER_CLIENT = 10
# Old five-digit codes: a tight budget, since each try hits with p = N / 32,768.
REENTRY_SHORT_PER_WORKSHOP = 2
# A room joins at once, often through one venue wifi (one address; a Store MED dag has a
# few hundred people): the per-client cap only stops a script filling rooms with made-up
# participants.
JOINS_PER_CLIENT = 300


class JoinError(ValueError):
    """The join form has a problem; the message is Danish and shown beside the form."""


def new_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _free_code() -> str:
    while True:
        code = new_code()
        if db.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def create(
    owner: Instructor,
    title: str,
    program: Program | None = None,
    groups: list[str] | None = None,
    min_anonymous: int = 5,
    continues: Workshop | None = None,
) -> Workshop:
    """Create a workshop in the lobby, with the program's steps and the given groups.

    `continues` makes it the next day of that workshop's course (hold): the same people,
    recognised by their phones or personal codes, with their history; and the same tables
    unless others are given.
    """
    title = title.strip() or (program.title if program else "")
    if not title:
        raise JoinError("Giv workshoppen en titel.")
    workshop = Workshop(
        code=_free_code(),
        title=title[:200],
        owner=owner,
        min_anonymous=max(5, min_anonymous),
        program=program.slug if program else None,
    )
    if continues is not None:
        if continues.course is None:
            continues.course = Course(title=continues.title, owner_id=continues.owner_id)
        workshop.course = continues.course
        groups = groups or [g.name for g in continues.groups]
    for position, name in enumerate(g.strip() for g in groups or []):
        if name:
            workshop.groups.append(Group(name=name[:80], position=position))
    workshop.steps.extend(_steps_of(program, 0) if program else [])
    db.add(workshop)
    db.commit()  # nobody watches a workshop that did not exist: nothing to announce
    return workshop


def _new_step(position: int, kind_name: str, title: str, content: Mapping[str, Any]) -> Step:
    """A step in its kind's initial state; raises ContentError for content that won't parse."""
    kind = kind_of(kind_name)
    return Step(
        position=position,
        kind=kind_name,
        title=(title.strip() or kind.title)[:200],
        content=copy.deepcopy(dict(content)),
        state=kind.initial_state(kind.parse(content)),
    )


def _steps_of(program: Program, start: int) -> list[Step]:
    steps = []
    for offset, ps in enumerate(program.steps):
        step = _new_step(start + offset, ps.kind, ps.title, ps.content)
        step.plan_minutes, step.plan_kl = ps.plan_minutes, ps.kl or None
        steps.append(step)
    return steps


def append_program(workshop: Workshop, program: Program) -> int:
    """Add a program's steps after the workshop's last one; returns how many were added.

    Day 2 of a course runs on in the same workshop: participants, groups and their day-1
    answers stay, so later steps (the goal follow-up, the action plan) can read them.
    """
    workshop.steps.extend(_steps_of(program, len(workshop.steps)))
    changes.commit(workshop)
    return len(program.steps)


def add_step(workshop: Workshop, kind_name: str, title: str, content: dict[str, Any]) -> Step:
    """Append a step, validating its content first."""
    step = _new_step(len(workshop.steps), kind_name, title, content)
    workshop.steps.append(step)
    changes.commit(workshop)
    return step


def go_to(workshop: Workshop, position: int) -> None:
    """Show step `position` on every screen (-1 is the lobby)."""
    if not -1 <= position < len(workshop.steps):
        raise Rejected("Det trin findes ikke.")
    workshop.current = position
    step = workshop.current_step
    if step is not None and step.started_at is None:
        step.started_at = utcnow()  # the day clock reckons from the first start
    if position >= 0 and workshop.status == "lobby":
        workshop.status = "running"
    changes.commit(workshop)


def set_status(workshop: Workshop, status: str) -> None:
    if status not in {"lobby", "running", "closed"}:
        raise Rejected("Ukendt status.")
    workshop.status = status
    changes.commit(workshop)


def act(workshop: Workshop, step: Step, action: str, data: Mapping[str, Any]) -> Step:
    """Run an instructor action through the kind; a concurrent change makes it retry."""
    if step.workshop_id != workshop.id:
        raise Rejected("Trinnet hører ikke til denne workshop.")
    kind = kind_of(step)
    for _attempt in range(3):
        # A countdown is the core's, on any step; every other action is the kind's.
        new_state = countdown.apply(step.state or {}, action, data, utcnow())
        if new_state is None:
            new_state = kind.apply(step_view(workshop, step), action, data)
        # Optimistic: two instructors pressing at once never lose one press silently.
        done = db.execute(
            update(Step)
            .where(Step.id == step.id, Step.version == step.version)
            .values(state=new_state, version=step.version + 1)
        ).rowcount
        if done:
            changes.commit(workshop)
            db.refresh(step)
            return step
        db.rollback()
        db.refresh(step)
    raise Rejected("Trinnet blev ændret samtidig. Prøv igen.")


# ---- participants --------------------------------------------------------------------------


def join(
    workshop: Workshop,
    name: str,
    group_id: int | str | None = None,
    role: str | None = None,
    proxy: bool = False,
    same_as: Participant | None = None,
) -> Participant:
    """Add a participant; the phone keeps the returned token.

    `same_as` is who they were on an earlier day of the course (found from their phone or
    personal code, never from the form): the new participant is the same person.
    """
    if same_as is not None:
        same_as.person = same_as.person or secrets.token_hex(16)
    if workshop.status == "closed":
        raise JoinError("Workshoppen er afsluttet.")
    name = " ".join((name or "").split())
    if not name:
        raise JoinError("Skriv dit navn, så de andre ved, hvem du er.")
    if len(name) > NAME_MAX:
        raise JoinError(f"Navnet er for langt. Brug højst {NAME_MAX} tegn.")
    group = None
    if workshop.groups:
        group = next((g for g in workshop.groups if str(g.id) == str(group_id or "")), None)
        if group is None:
            raise JoinError("Vælg dit bord eller udvalg.")
    for _attempt in range(8):
        participant = Participant(
            workshop_id=workshop.id,
            name=name,
            role=(role or "").strip()[:60] or None,
            group=group,
            token=secrets.token_urlsafe(32),
            reentry_code=_reentry_code(),
            proxy=proxy,
            person=same_as.person if same_as is not None else None,
        )
        db.add(participant)
        try:
            db.flush()
        except IntegrityError:  # two joins drew the same personal code at once: draw again
            db.rollback()
            continue
        changes.commit(workshop, screens=("projector", "controls"))
        return participant
    raise JoinError("Det lykkedes ikke at melde dig til. Prøv igen.")


def continue_as(
    workshop: Workshop, earlier: Participant, group_id: int | str | None = None
) -> Participant:
    """Join as the person from an earlier day: their name, and their table if it is here."""
    if group_id is None and earlier.group is not None:
        match = next((g for g in workshop.groups if g.name == earlier.group.name), None)
        group_id = match.id if match else None
    return join(workshop, earlier.name, group_id, role=earlier.role, same_as=earlier)


def _reentry_code() -> str:
    # Uniqueness per workshop is the database's constraint; a clash is retried by join().
    return "".join(secrets.choice(REENTRY_DIGITS) for _ in range(REENTRY_LENGTH))


def grouped_code(code: str) -> str:
    """A personal code as the phone shows it: in groups of five digits, easy to copy."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))
