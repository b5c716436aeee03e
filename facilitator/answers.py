"""Participant submissions, stored a burst at a time.

When a room answers at once, hundreds of answers arrive within a second. Storing them one
transaction each costs a handful of queries per answer; here a burst shares them: one read of
the owners' existing rows, one flush of all new rows, one commit, one push to the screens.
`workshops.submit` is the burst of one, used by the HTTP path; `live` batches the answers that
phones send over their socket.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from . import live
from .db import db
from .kinds import Rejected, StepView, Submission
from .models import Participant, Response, Step, Workshop, utcnow

SUBMISSIONS_PER_MINUTE = 60
RESPONSES_PER_STEP = 200


@dataclass
class Answer:
    """One submission as it arrived: who, to which step, what, and its idempotency key."""

    participant: Participant
    step_id: int
    data: Mapping[str, Any]
    key: str | None = None


@dataclass
class Outcome:
    """What became of one answer: the stored row, or the Danish reason it was refused."""

    response: Response | None = None
    error: str | None = None


_recent: dict[str, deque[float]] = defaultdict(deque)


def _rate_limit(participant: Participant) -> None:
    """A phone (or a script) may not flood the room: at most N submissions a minute."""
    now = time.monotonic()
    window = _recent[participant.token]  # the token: ids repeat across databases (tests)
    while window and window[0] < now - 60:
        window.popleft()
    if len(window) >= SUBMISSIONS_PER_MINUTE:
        raise Rejected("Du har sendt mange svar på kort tid. Vent et øjeblik, og prøv igen.")
    window.append(now)


def _owner(participant: Participant, sub: Submission) -> str:
    if sub.scope == "group":
        if participant.group_id is None:
            raise Rejected("Du er ikke med i en gruppe.")
        return f"g:{participant.group_id}"
    return f"p:{participant.id}"


def store(workshop: Workshop, answers: list[Answer], _retried: bool = False) -> list[Outcome]:
    """Validate and store answers to the workshop's current step, in one transaction."""
    from .workshops import kind_of, participants_of, step_view

    step: Step | None = workshop.current_step
    if step is None:
        return [Outcome(error="Dette trin er ikke aktivt længere. Kig på skærmen.")] * len(answers)
    owners = {f"p:{a.participant.id}" for a in answers}
    owners |= {f"g:{a.participant.group_id}" for a in answers if a.participant.group_id}
    keys = {a.key for a in answers if a.key}
    rows = list(
        db.scalars(
            select(Response).where(
                Response.step_id == step.id,
                or_(Response.owner.in_(owners), Response.idempotency_key.in_(keys or {""})),
            )
        )
    )
    by_owner: dict[str, list[Response]] = defaultdict(list)
    for row in rows:
        by_owner[row.owner].append(row)
    by_slot = {(r.owner, r.slot): r for r in rows}
    by_key = {r.idempotency_key: r for r in rows if r.idempotency_key}
    counts = Counter(r.owner for r in rows)
    base = step_view(workshop, step)
    loaded: list[Participant] = []

    def participants() -> list[Participant]:  # read once, and only if a kind asks
        if not loaded:
            loaded.extend(participants_of(workshop))
        return loaded

    kind = kind_of(step)
    outcomes: list[Outcome] = []
    audiences: set[str] = set()
    groups: set[int] = set()
    for answer in answers:
        p = answer.participant
        try:
            if answer.step_id != step.id:
                raise Rejected("Dette trin er ikke aktivt længere. Kig på skærmen.")
            done = by_key.get(answer.key) if answer.key else None
            if done is not None:
                if done.participant_id != p.id:
                    raise Rejected("Svaret kunne ikke gemmes. Genindlæs siden, og prøv igen.")
                outcomes.append(Outcome(done))
                continue
            _rate_limit(p)
            view = StepView(
                workshop, step, base.content, base.now,
                responses=lambda: base.responses, participants=participants,
                participant=p, earlier=base._earlier,
                owned=lambda owner: list(by_owner.get(owner, [])),
                memo=base.memo,
            )  # fmt: skip
            # One derived board for the whole burst: like base.responses it is as of the
            # burst's start; what one sender did in it is in own(), kept current above.
            sub = kind.accept(view, answer.data)
            owner = _owner(p, sub)
            row = by_slot.get((owner, sub.slot))
            if row is None:
                if counts[owner] >= RESPONSES_PER_STEP:
                    raise Rejected("Du har nået grænsen for antal svar i denne øvelse.")
                row = Response(
                    step_id=step.id, owner=owner, slot=sub.slot, participant_id=p.id,
                    group_id=p.group_id, payload=sub.payload, idempotency_key=answer.key,
                )  # fmt: skip
                db.add(row)
                by_slot[(owner, sub.slot)] = row
                by_owner[owner].append(row)
                counts[owner] += 1
            else:
                row.payload = sub.payload
                row.participant_id = p.id
                row.updated_at = utcnow()
                row.idempotency_key = answer.key or row.idempotency_key
            if answer.key:
                by_key[answer.key] = row
            outcomes.append(Outcome(row))
            audience = "group" if sub.scope == "group" and sub.audience == "self" else sub.audience
            audiences.add(audience)
            if audience == "group" and p.group_id:
                groups.add(p.group_id)
        except Rejected as exc:
            outcomes.append(Outcome(error=str(exc)))
    if not any(o.response is not None for o in outcomes):
        db.rollback()
        return outcomes
    try:
        db.commit()
    except IntegrityError:
        # Another process wrote the same slot at the same instant: take the answers one by
        # one, so each sees the other's row and becomes an update of it.
        db.rollback()
        if len(answers) == 1 and not _retried:
            return store(workshop, answers, _retried=True)
        if len(answers) == 1:
            return [Outcome(error="Svaret kunne ikke gemmes. Prøv igen.")]
        return [store(workshop, [a])[0] for a in answers]
    screens = (
        ("projector", "controls", "phone") if "all" in audiences else ("projector", "controls")
    )
    live.notify(workshop.id, screens=screens, groups=groups)
    return outcomes
