"""The workshop domain: create from a program, join, advance, act, submit.

Every function commits before it returns, then tells `live` what changed.
"""

from __future__ import annotations

import copy
import secrets
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select, update

from . import live
from .db import db
from .kinds import ExerciseKind, Rejected, StepView
from .models import Group, Instructor, Participant, Response, Step, Workshop, co_instructors, utcnow
from .programs import Program

# No 0/O, 1/I/L: codes are read off a projector and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
NAME_MAX = 60


class JoinError(ValueError):
    """The join form has a problem; the message is Danish and shown beside the form."""


def kind_of(step: Step) -> ExerciseKind:
    from exercises import KINDS

    return KINDS[step.kind]


def new_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """Accept codes typed in lower case or with spaces."""
    return "".join(code.split()).upper()[:12]


# ---- instructors' workshops ----------------------------------------------------------------


def visible_to(instructor: Instructor) -> list[Workshop]:
    """The workshops an instructor owns or co-teaches, newest first."""
    query = (
        select(Workshop)
        .outerjoin(co_instructors, co_instructors.c.workshop_id == Workshop.id)
        .where(
            or_(Workshop.owner_id == instructor.id, co_instructors.c.instructor_id == instructor.id)
        )
        .order_by(Workshop.created_at.desc())
        .distinct()
    )
    return list(db.scalars(query))


def can_teach(instructor: Instructor | None, workshop: Workshop) -> bool:
    if instructor is None:
        return False
    return workshop.owner_id == instructor.id or any(
        c.id == instructor.id for c in workshop.co_instructors
    )


def create(
    owner: Instructor,
    title: str,
    program: Program | None = None,
    groups: list[str] | None = None,
    min_anonymous: int = 5,
) -> Workshop:
    """Create a workshop in the lobby, with the program's steps and the given groups."""
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
    for position, name in enumerate(g.strip() for g in groups or []):
        if name:
            workshop.groups.append(Group(name=name[:80], position=position))
    workshop.steps.extend(_steps_of(program, 0) if program else [])
    db.add(workshop)
    db.commit()
    return workshop


def _steps_of(program: Program, start: int) -> list[Step]:
    """New steps for a program's steps, numbered from `start`, each in its initial state."""
    steps = []
    for offset, ps in enumerate(program.steps):
        kind = kind_of(Step(kind=ps.kind))
        steps.append(
            Step(
                position=start + offset,
                kind=ps.kind,
                title=ps.title,
                content=copy.deepcopy(ps.content),
                state=kind.initial_state(kind.parse(ps.content)),
            )
        )
    return steps


def append_program(workshop: Workshop, program: Program) -> int:
    """Add a program's steps after the workshop's last one; returns how many were added.

    Day 2 of a course runs on in the same workshop: participants, groups and their day-1
    answers stay, so later steps (the goal follow-up, the action plan) can read them.
    """
    workshop.steps.extend(_steps_of(program, len(workshop.steps)))
    _bump(workshop)
    db.commit()
    live.notify(workshop.id)
    return len(program.steps)


def _free_code() -> str:
    while True:
        code = new_code()
        if db.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def add_step(workshop: Workshop, kind_name: str, title: str, content: dict[str, Any]) -> Step:
    """Append a step, validating its content first."""
    from exercises import KINDS

    kind = KINDS[kind_name]
    parsed = kind.parse(content)
    step = Step(
        position=len(workshop.steps),
        kind=kind_name,
        title=(title.strip() or kind.title)[:200],
        content=content,
        state=kind.initial_state(parsed),
    )
    workshop.steps.append(step)
    _bump(workshop)
    db.commit()
    live.notify(workshop.id)
    return step


def _bump(workshop: Workshop) -> None:
    workshop.version = (workshop.version or 0) + 1


def go_to(workshop: Workshop, position: int) -> None:
    """Show step `position` on every screen (-1 is the lobby)."""
    if not -1 <= position < len(workshop.steps):
        raise Rejected("Det trin findes ikke.")
    workshop.current = position
    if position >= 0 and workshop.status == "lobby":
        workshop.status = "running"
    _bump(workshop)
    db.commit()
    live.notify(workshop.id)


def set_status(workshop: Workshop, status: str) -> None:
    if status not in {"lobby", "running", "closed"}:
        raise Rejected("Ukendt status.")
    workshop.status = status
    _bump(workshop)
    db.commit()
    live.notify(workshop.id)


def act(workshop: Workshop, step: Step, action: str, data: Mapping[str, Any]) -> Step:
    """Run an instructor action through the kind; a concurrent change makes it retry once."""
    if step.workshop_id != workshop.id:
        raise Rejected("Trinnet hører ikke til denne workshop.")
    kind = kind_of(step)
    for _attempt in range(3):
        new_state = kind.apply(step_view(workshop, step), action, data)
        # Optimistic: two instructors pressing at once never lose one press silently.
        done = db.execute(
            update(Step)
            .where(Step.id == step.id, Step.version == step.version)
            .values(state=new_state, version=step.version + 1)
        ).rowcount
        if done:
            _bump(workshop)
            db.commit()
            db.refresh(step)
            live.notify(workshop.id)
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
) -> Participant:
    """Add a participant; the phone keeps the returned token."""
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
    participant = Participant(
        workshop_id=workshop.id,
        name=name,
        role=(role or "").strip()[:60] or None,
        group=group,
        token=secrets.token_urlsafe(32),
        reentry_code=_free_reentry_code(workshop),
        proxy=proxy,
    )
    db.add(participant)
    _bump(workshop)
    db.commit()
    live.notify(workshop.id, screens=("projector", "controls"))
    return participant


def _free_reentry_code(workshop: Workshop) -> str:
    while True:
        code = "".join(secrets.choice("23456789") for _ in range(5))
        taken = db.scalar(
            select(Participant.id).where(
                Participant.workshop_id == workshop.id, Participant.reentry_code == code
            )
        )
        if taken is None:
            return code


def by_reentry_code(workshop: Workshop, code: str) -> Participant | None:
    code = "".join(ch for ch in code or "" if ch.isdigit())
    return db.scalar(
        select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.reentry_code == code
        )
    )


def by_token(workshop: Workshop, token: str | None) -> Participant | None:
    if not token:
        return None
    return db.scalar(
        select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.token == token
        )
    )


def participant_count(workshop: Workshop) -> int:
    from sqlalchemy import func

    return (
        db.scalar(select(func.count(Participant.id)).where(Participant.workshop_id == workshop.id))
        or 0
    )


# ---- submissions ---------------------------------------------------------------------------


def submit(
    workshop: Workshop,
    participant: Participant,
    step: Step,
    data: Mapping[str, Any],
    idempotency_key: str | None = None,
) -> Response:
    """Store one participant submission to the current step, once, whatever the retries."""
    from .answers import Answer, store

    if step.workshop_id != workshop.id or participant.workshop_id != workshop.id:
        raise Rejected("Svaret hører ikke til denne workshop.")
    key = (idempotency_key or "")[:64] or None
    outcome = store(workshop, [Answer(participant, step.id, data, key)])[0]
    if outcome.error:
        raise Rejected(outcome.error)
    return outcome.response


# ---- reading -------------------------------------------------------------------------------


def participants_of(workshop: Workshop) -> list[Participant]:
    """Everyone in the workshop, in join order."""
    query = select(Participant).where(Participant.workshop_id == workshop.id)
    return list(db.scalars(query.order_by(Participant.id)))


def step_view(workshop: Workshop, step: Step, participant: Participant | None = None) -> StepView:
    """What a kind may read about a step; rows are queried only when the kind asks."""

    def responses() -> list[Response]:
        return list(db.scalars(select(Response).where(Response.step_id == step.id)))

    return StepView(
        workshop=workshop,
        step=step,
        content=kind_of(step).parse(step.content),
        now=utcnow(),
        responses=responses,
        participants=lambda: participants_of(workshop),
        participant=participant,
        earlier=lambda kind, p: earlier_responses(workshop, step, kind, p),
        owned=lambda owner: list(
            db.scalars(select(Response).where(Response.step_id == step.id, Response.owner == owner))
        ),
    )


def earlier_responses(
    workshop: Workshop, step: Step, kind: str, participant: Participant
) -> list[tuple[Step, list[Response]]]:
    """A participant's own responses in the earlier steps of one kind, in program order."""
    steps = [s for s in workshop.steps if s.kind == kind and s.position < step.position]
    if not steps:
        return []
    rows = db.scalars(
        select(Response).where(
            Response.step_id.in_([s.id for s in steps]),
            Response.participant_id == participant.id,
        )
    )
    by_step: dict[int, list[Response]] = defaultdict(list)
    for row in rows:
        by_step[row.step_id].append(row)
    return [(s, by_step.get(s.id, [])) for s in steps]


def results(workshop: Workshop) -> list[dict[str, Any]]:
    """What every step produced, in program order."""
    out = []
    for step in workshop.steps:
        view = step_view(workshop, step)
        out.append(
            {
                "position": step.position + 1,
                "kind": step.kind,
                "title": step.title,
                "result": kind_of(step).results(view),
            }
        )
    return out
