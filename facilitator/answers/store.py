"""Storing answers: validate a burst against the current step and write it in one transaction.

One bad answer fails alone; a retried idempotency key resolves to the first answer, in
whatever step it was given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import DataError, IntegrityError

from .. import changes
from ..db import db
from ..kinds import Rejected, StepView, Submission, kind_of
from ..models import Participant, Response, Step, Workshop, utcnow
from ..reading import participants_of, step_view

RESPONSES_PER_STEP = 200
KEY_MAX = 64
NOT_ACTIVE = "Dette trin er ikke aktivt længere. Kig på skærmen."
NOT_SAVED = "Svaret kunne ikke gemmes. Genindlæs siden, og prøv igen."
# Reply(workshop, view of the current step or None, participant, outcome) -> what the sender
# gets back (the phone's fresh fragment); called once per distinct phone view in a burst.
Reply = Callable[[Workshop, "StepView | None", Participant, "Outcome"], Any]


@dataclass
class Answer:
    """One submission as it arrived: who, to which step, what, and its idempotency key."""

    participant: Participant
    step_id: int
    data: Mapping[str, Any]
    key: str | None = None


@dataclass(frozen=True)
class Sender:
    """Who answers: ids only, so a transport can hold it without holding a database session."""

    workshop_id: int
    participant_id: int

    @classmethod
    def of(cls, participant: Participant) -> Sender:
        return cls(participant.workshop_id, participant.id)


@dataclass(frozen=True)
class PhoneCookie:
    """Who answers, as a POST knows it before any query: the join code and its cookie's token.

    The burst looks all of its phones up in one query (a query per POST was a third of an
    HTTP answer's server time on PostgreSQL).
    """

    code: str
    token: str


@dataclass
class Outcome:
    """What became of one answer: the stored row, or the Danish reason it was refused."""

    response: Response | None = None
    error: str | None = None
    limited: bool = False  # refused for sending too many: nothing was looked at
    unknown: bool = False  # no phone of an open workshop has that cookie: nothing was stored


def clean_key(raw: Any) -> str | None:
    """An idempotency key as stored: printable ASCII without spaces, at most KEY_MAX long."""
    key = "".join(ch for ch in str(raw or "") if "!" <= ch <= "~")[:KEY_MAX]
    return key or None


def _owner(participant: Participant, sub: Submission) -> str:
    if sub.scope == "group":
        if participant.group_id is None:
            raise Rejected("Du er ikke med i en gruppe.")
        return f"g:{participant.group_id}"
    return f"p:{participant.id}"


def store(
    workshop: Workshop, answers: list[Answer], rows: dict[str, list[Response]] | None = None
) -> list[Outcome]:
    """Validate and store answers to the workshop's current step, in one transaction.

    One bad answer fails alone: when the shared commit is refused, the answers are stored
    again one by one, so each sees the others' rows and only the bad one gets its error.
    `rows`, when given, receives the current step's rows of the senders (and their groups)
    as stored: their replies are rendered from them without reading the step again.
    """
    try:
        return _store(workshop, answers, rows if rows is not None else {})
    except (IntegrityError, DataError):
        db.rollback()
        if rows is not None:
            rows.clear()
        if len(answers) == 1:
            return [Outcome(error=NOT_SAVED)]
        return [store(workshop, [a])[0] for a in answers]


def _store(
    workshop: Workshop, answers: list[Answer], by_owner: dict[str, list[Response]]
) -> list[Outcome]:
    step: Step | None = workshop.current_step
    if step is None:
        return [Outcome(error=NOT_ACTIVE) for _ in answers]
    owners = {f"p:{a.participant.id}" for a in answers}
    owners |= {f"g:{a.participant.group_id}" for a in answers if a.participant.group_id}
    keys = {a.key for a in answers if a.key}
    # One read for the senders' rows in this step and for their keys in any step: a retry of
    # an answer to an earlier step resolves to that first answer instead of clashing forever.
    mine = and_(Response.step_id == step.id, Response.owner.in_(owners))
    found = list(
        db.scalars(
            select(Response).where(or_(mine, Response.idempotency_key.in_(keys)) if keys else mine)
        )
    )
    rows = [r for r in found if r.step_id == step.id and r.owner in owners]
    by_key = {r.idempotency_key: r for r in found if r.idempotency_key in keys}
    by_owner.update({owner: [] for owner in owners})
    for row in rows:
        by_owner[row.owner].append(row)
    by_slot = {(r.owner, r.slot): r for r in rows}
    counts = Counter(r.owner for r in rows)
    base = step_view(workshop, step)
    loaded: list[Participant] = []

    def participants() -> list[Participant]:  # read once, and only if a kind asks
        if not loaded:
            loaded.extend(participants_of(workshop))
        return loaded

    kind = kind_of(step)
    outcomes: list[Outcome] = []
    screens: set[str] = set()
    groups: set[int] = set()
    for answer in answers:
        p = answer.participant
        try:
            done = by_key.get(answer.key) if answer.key else None
            if done is not None:
                if done.participant_id != p.id:
                    raise Rejected(NOT_SAVED)
                outcomes.append(Outcome(done))
                continue
            if answer.step_id != step.id:
                ours = any(s.id == answer.step_id for s in workshop.steps)
                raise Rejected(NOT_ACTIVE if ours else "Svaret hører ikke til denne workshop.")
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
                by_owner.setdefault(owner, []).append(row)
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
            screens |= {"projector", "controls"} | ({"phone"} if audience == "all" else set())
            if audience == "group" and p.group_id:
                groups.add(p.group_id)
        except Rejected as exc:
            outcomes.append(Outcome(error=str(exc)))
    if not screens:  # nothing new was stored (refusals and retries only)
        db.rollback()
        return outcomes
    db.flush()  # a refused row raises here, before the version moves
    changes.commit(workshop, screens=screens, groups=groups)
    return outcomes
