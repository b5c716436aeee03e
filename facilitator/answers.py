"""Participant answers: the one entry point, whatever the transport, stored a burst at a time.

A phone answers by an HTTP POST or, while its socket is up, by a socket event; both call
`submit`. When a room answers at once, hundreds of answers arrive within a second: `submit`
gathers those that arrive within a few milliseconds and `store` writes them in one
transaction (one read of the owners' rows, one flush, one version bump, one push), then
each sender's reply is rendered once per distinct phone view and handed back.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from . import changes, limits
from .db import db
from .kinds import Rejected, StepView, Submission, kind_of
from .models import Participant, Response, Step, Workshop, utcnow
from .reading import participants_of, step_view

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


@dataclass
class Outcome:
    """What became of one answer: the stored row, or the Danish reason it was refused."""

    response: Response | None = None
    error: str | None = None
    limited: bool = False  # refused for sending too many: nothing was looked at


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


def store(workshop: Workshop, answers: list[Answer]) -> list[Outcome]:
    """Validate and store answers to the workshop's current step, in one transaction.

    One bad answer fails alone: when the shared commit is refused, the answers are stored
    again one by one, so each sees the others' rows and only the bad one gets its error.
    """
    try:
        return _store(workshop, answers)
    except (IntegrityError, DataError):
        db.rollback()
        if len(answers) == 1:
            return [Outcome(error=NOT_SAVED)]
        return [store(workshop, [a])[0] for a in answers]


def _store(workshop: Workshop, answers: list[Answer]) -> list[Outcome]:
    step: Step | None = workshop.current_step
    if step is None:
        return [Outcome(error=NOT_ACTIVE) for _ in answers]
    owners = {f"p:{a.participant.id}" for a in answers}
    owners |= {f"g:{a.participant.group_id}" for a in answers if a.participant.group_id}
    keys = {a.key for a in answers if a.key}
    rows = list(
        db.scalars(select(Response).where(Response.step_id == step.id, Response.owner.in_(owners)))
    )
    # Keys are looked up in every step: a retry of an answer to an earlier step resolves to
    # that first answer instead of clashing with it forever.
    by_key = {r.idempotency_key: r for r in rows if r.idempotency_key}
    if keys - set(by_key):
        query = select(Response).where(Response.idempotency_key.in_(keys - set(by_key)))
        by_key.update({r.idempotency_key: r for r in db.scalars(query)})
    by_owner: dict[str, list[Response]] = defaultdict(list)
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


def submit(
    participant: Participant, step_id: int, data: Mapping[str, Any], key: Any, reply: Reply
) -> tuple[Outcome, Any]:
    """The one entry point for an answer: store it (with the rest of its burst), then reply.

    Returns the outcome and what `reply` rendered for the sender. A refused answer comes back
    as an outcome with an error, never as an exception.
    """
    if not limits.answer_allowed(participant.id):  # counted per request, not per burst
        return Outcome(error=limits.ANSWER_MESSAGE, limited=True), None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    item = _Item(participant.workshop_id, participant.id, step_id, data, clean_key(key), reply)
    if app.config.get("ANSWER_GATHER_MS", 4) <= 0:
        _store_batch([item])  # in the caller's own request and session
    else:
        _gatherer(app).put(item)
    return item.outcome or Outcome(error=NOT_SAVED), item.reply_value


@dataclass(eq=False)
class _Item:
    workshop_id: int
    participant_id: int
    step_id: int
    data: Mapping[str, Any]
    key: str | None
    reply: Reply
    outcome: Outcome | None = None
    reply_value: Any = None
    done: threading.Event = field(default_factory=threading.Event)


class _Gatherer:
    """Collects the answers of a burst on one worker and stores them together.

    Plain threading primitives: under gevent (make run, gunicorn -k gevent) they are
    monkey-patched into greenlet ones, in tests they are real threads.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.gather_s = app.config.get("ANSWER_GATHER_MS", 4) / 1000
        self.queue: list[_Item] = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        threading.Thread(target=self._loop, name="answers", daemon=True).start()

    def put(self, item: _Item) -> None:
        with self.lock:
            self.queue.append(item)
        self.wake.set()
        item.done.wait(timeout=20)

    def _loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            time.sleep(self.gather_s)  # let the rest of a burst arrive
            with self.lock:
                batch, self.queue = self.queue, []
            if batch:
                self.run(self.app, batch)
                db.remove()

    @staticmethod
    def run(app: Flask, batch: list[_Item]) -> None:
        """Store a batch per workshop and render each sender's reply; never raises."""
        try:
            # The replies are fragments with URLs: they need a request to build them in.
            with app.app_context(), app.test_request_context("/"):
                _store_batch(batch)
        except Exception:  # never leave a phone waiting: it retries with the same key
            app.logger.exception("storing %d answers failed", len(batch))
        finally:
            for item in batch:
                item.done.set()


def _store_batch(batch: list[_Item]) -> None:
    by_workshop: dict[int, list[_Item]] = defaultdict(list)
    for item in batch:
        by_workshop[item.workshop_id].append(item)
    for workshop_id, items in by_workshop.items():
        _store_and_reply(workshop_id, items)


def _store_and_reply(workshop_id: int, items: list[_Item]) -> None:
    workshop = db.get(Workshop, workshop_id)
    if workshop is None:
        return
    ids = {item.participant_id for item in items}
    people = {p.id: p for p in db.scalars(select(Participant).where(Participant.id.in_(ids)))}
    items = [i for i in items if i.participant_id in people]
    answers = [Answer(people[i.participant_id], i.step_id, i.data, i.key) for i in items]
    for item, outcome in zip(items, store(workshop, answers), strict=True):
        item.outcome = outcome
    _replies(workshop, items, people)


def _replies(workshop: Workshop, items: list[_Item], people: dict[int, Participant]) -> None:
    """Render each sender's reply, once per distinct phone view and error."""
    step = workshop.current_step
    view = step_view(workshop, step) if step is not None else None
    kind = kind_of(step) if step is not None else None
    if view is not None and len(items) > 1:
        view.responses  # noqa: B018  one read for all, not one per phone
    rendered: dict[Any, Any] = {}
    for item in items:
        p, outcome = people[item.participant_id], item.outcome
        assert outcome is not None
        phone_key = kind.phone_key(view.for_participant(p)) if kind and view else "lobby"
        memo = (item.reply, phone_key if phone_key is not None else p.id, outcome.error)
        if memo not in rendered:
            rendered[memo] = item.reply(workshop, view, p, outcome)
        item.reply_value = rendered[memo]


_lock = threading.Lock()


def _gatherer(app: Flask) -> _Gatherer:
    with _lock:  # one worker per app, however many answers arrive at the very first moment
        if "answers_gatherer" not in app.extensions:
            app.extensions["answers_gatherer"] = _Gatherer(app)
        return app.extensions["answers_gatherer"]
