"""Read helpers every layer uses: workshops, participants, step views and results.

Views, screens, live and kinds read through here; the write domain imports these reads,
never the other way round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, or_, select

from .db import db
from .kinds import StepView, kind_of
from .models import Instructor, Participant, Response, Step, Workshop, co_instructors, utcnow


def normalise_code(code: str) -> str:
    """Accept codes typed in lower case or with spaces."""
    return "".join((code or "").split()).upper()[:12]


def workshop_by_code(code: str) -> Workshop | None:
    """The workshop behind a join code, typed any way."""
    return db.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))


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
    """Whether the instructor owns or co-teaches the workshop."""
    if instructor is None:
        return False
    return workshop.owner_id == instructor.id or any(
        c.id == instructor.id for c in workshop.co_instructors
    )


# ---- participants --------------------------------------------------------------------------


def by_token(workshop: Workshop, token: str | None) -> Participant | None:
    """The participant whose phone holds this token."""
    if not token:
        return None
    return db.scalar(
        select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.token == token
        )
    )


def phones_by_cookies(cookies: Iterable[Any]) -> dict[Any, Participant]:
    """The participant behind each phone cookie (`.code` as normalised, `.token`) of an open
    workshop, in one query for a whole burst; cookies of no such phone are left out."""
    wanted = {(c.code, c.token): c for c in cookies if c.token}
    if not wanted:
        return {}
    rows = db.execute(
        select(Workshop.code, Participant)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(Participant.token.in_({token for _code, token in wanted}))
        .where(Workshop.status != "closed")
    )
    return {wanted[(code, p.token)]: p for code, p in rows if (code, p.token) in wanted}


def by_reentry_code(workshop: Workshop, code: str) -> Participant | None:
    """The participant with this personal code (digits only; spaces and dashes ignored)."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if not code:
        return None
    return db.scalar(
        select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.reentry_code == code
        )
    )


def by_course_reentry_code(workshop: Workshop, code: str) -> Participant | None:
    """The participant with this personal code on an earlier day of the workshop's course."""
    for day in reversed(earlier_days(workshop)):
        found = by_reentry_code(day, code)
        if found is not None:
            return found
    return None


def participants_of(workshop: Workshop) -> list[Participant]:
    """Everyone in the workshop, in join order."""
    query = select(Participant).where(Participant.workshop_id == workshop.id)
    return list(db.scalars(query.order_by(Participant.id)))


def roster(workshop: Workshop, limit: int) -> tuple[list[Participant], bool]:
    """The first `limit` participants in join order, and everyone answered for; and whether
    anyone is left out. The controls list this: a course room whole, a hall in part."""
    query = select(Participant).where(Participant.workshop_id == workshop.id)
    first = list(db.scalars(query.order_by(Participant.id).limit(limit + 1)))
    if len(first) <= limit:
        return first, False
    shown = first[:limit]
    later = query.where(Participant.proxy.is_(True), Participant.id > shown[-1].id)
    return shown + list(db.scalars(later.order_by(Participant.id))), True


def participant_count(workshop: Workshop) -> int:
    """How many have joined (one cheap query: the projector shows it)."""
    query = select(func.count(Participant.id)).where(Participant.workshop_id == workshop.id)
    return db.scalar(query) or 0


# ---- steps ---------------------------------------------------------------------------------


def step_view(
    workshop: Workshop,
    step: Step,
    participant: Participant | None = None,
    known: Mapping[str, list[Response]] | None = None,
) -> StepView:
    """What a kind may read about a step; rows are queried only when the kind asks.

    `known` holds owners' rows the caller already has as they are now (a burst just stored
    them): asking for those owners reads nothing.
    """

    def responses() -> list[Response]:
        return list(db.scalars(select(Response).where(Response.step_id == step.id)))

    def owned(owner: str) -> list[Response]:
        if known is not None and owner in known:
            return list(known[owner])
        query = select(Response).where(Response.step_id == step.id, Response.owner == owner)
        return list(db.scalars(query))

    return StepView(
        workshop=workshop,
        step=step,
        content=kind_of(step).parse(step.content),
        now=utcnow(),
        responses=responses,
        participants=lambda: participants_of(workshop),
        participant=participant,
        earlier=lambda kind, p: earlier_responses(workshop, step, kind, p),
        owned=owned,
    )


def earlier_days(workshop: Workshop) -> list[Workshop]:
    """The course's workshops before this one (its earlier days), oldest first."""
    if workshop.course_id is None:
        return []
    query = select(Workshop).where(
        Workshop.course_id == workshop.course_id, Workshop.id != workshop.id
    )
    days = [
        w for w in db.scalars(query) if (w.created_at, w.id) < (workshop.created_at, workshop.id)
    ]
    return sorted(days, key=lambda w: (w.created_at, w.id))


def same_person(workshop: Workshop, participant: Participant) -> list[int]:
    """The participant's ids on every day of the course so far (just its own without one)."""
    days = [w.id for w in earlier_days(workshop)]
    if not participant.person or not days:
        return [participant.id]
    query = select(Participant.id).where(
        Participant.person == participant.person, Participant.workshop_id.in_(days)
    )
    return [participant.id, *db.scalars(query)]


def course_participant(workshop: Workshop, tokens: dict[str, str]) -> Participant | None:
    """Who this phone was on another day of the course, from the tokens in its cookie."""
    if workshop.course_id is None or not tokens:
        return None
    query = (
        select(Participant)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(
            Workshop.course_id == workshop.course_id,
            Workshop.id != workshop.id,
            Participant.token.in_([str(t) for t in tokens.values()][:50]),
        )
        .order_by(Participant.id.desc())
    )
    return db.scalars(query).first()


def earlier_responses(
    workshop: Workshop, step: Step, kind: str, participant: Participant
) -> list[tuple[Step, list[Response]]]:
    """A participant's own responses in the earlier steps of one kind, in program order.

    Earlier days of the course come first: day 2's recall finds what was written on day 1,
    whether day 2 runs on in the same workshop or as a workshop of its own.
    """
    before = [s for d in earlier_days(workshop) for s in d.steps if s.kind == kind]
    steps = before + [s for s in workshop.steps if s.kind == kind and s.position < step.position]
    if not steps:
        return []
    rows = db.scalars(
        select(Response).where(
            Response.step_id.in_([s.id for s in steps]),
            Response.participant_id.in_(same_person(workshop, participant)),
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
        kind = kind_of(step)
        out.append(
            {
                "position": step.position + 1,
                "kind": step.kind,
                "kind_title": kind.title,
                "title": step.title,
                "result": kind.results(step_view(workshop, step)),
            }
        )
    return out
