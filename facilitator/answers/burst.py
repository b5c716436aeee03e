"""Gathering a burst: answers that arrive within a few milliseconds are stored together.

Plain threading primitives: under gevent (make run, gunicorn -k gevent) they are
monkey-patched into greenlet ones, in tests they are real threads.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select

from .. import limits
from ..db import db
from ..kinds import kind_of
from ..models import Participant, Response, Workshop
from ..reading import phones_by_cookies, step_view
from .store import NOT_SAVED, Answer, Outcome, PhoneCookie, Reply, Sender, store


@dataclass(eq=False)
class Item:
    """One answer waiting for its burst: who, what, and where its outcome and reply go."""

    sender: Sender | PhoneCookie  # a cookie's phone is looked up with the rest of the burst
    step_id: int
    data: Mapping[str, Any]
    key: str | None
    reply: Reply
    outcome: Outcome | None = None
    reply_value: Any = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def workshop_id(self) -> int:
        assert isinstance(self.sender, Sender)
        return self.sender.workshop_id

    @property
    def participant_id(self) -> int:
        assert isinstance(self.sender, Sender)
        return self.sender.participant_id


# The longest a busy worker gathers before it stores what it has.
GATHER_MAX_S = 0.025


def next_window(took_s: float, size: int, base_s: float, max_s: float = GATHER_MAX_S) -> float:
    """How long to gather the next batch, within [base, max].

    A quiet room (one answer a batch) waits the base (4 ms). A busy one gathers as long as its
    last batch took to store, and the base once per answer it held: every batch costs a
    transaction and its reads whatever its size, so a room answering at once (over HTTP, one
    request at a time) shares fewer, bigger ones; 25 ms is nothing beside a phone's wifi.
    """
    return min(max(took_s, base_s * max(size, 1)), max(max_s, base_s))


class Gatherer:
    """Collects the answers of a burst on one worker and stores them together."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.gather_s = app.config.get("ANSWER_GATHER_MS", 4) / 1000
        self.window_s = self.gather_s
        self.queue: list[Item] = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        threading.Thread(target=self._loop, name="answers", daemon=True).start()

    def put(self, item: Item) -> None:
        with self.lock:
            self.queue.append(item)
        self.wake.set()
        item.done.wait(timeout=20)

    def _loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            time.sleep(self.window_s)  # let the rest of a burst arrive
            with self.lock:
                batch, self.queue = self.queue, []
            if batch:
                started = time.monotonic()
                self.run(self.app, batch)
                db.remove()
                took = time.monotonic() - started
                self.window_s = next_window(took, len(batch), self.gather_s)

    @staticmethod
    def run(app: Flask, batch: list[Item]) -> None:
        """Store a batch per workshop and render each sender's reply; never raises."""
        try:
            # The replies are fragments with URLs: they need a request to build them in.
            with app.app_context(), app.test_request_context("/"):
                store_batch(batch)
        except Exception:  # never leave a phone waiting: it retries with the same key
            app.logger.exception("storing %d answers failed", len(batch))
        finally:
            for item in batch:
                item.done.set()


def store_batch(batch: list[Item]) -> None:
    """Store the items per workshop and render each sender's reply (in the caller's context).

    First the burst's phones known by cookie are looked up and its answers counted against
    the answer limit, each in one query for the whole burst.
    """
    people = _identify(batch)
    batch = [item for item in batch if item.outcome is None]
    allowed = limits.answers_allowed([item.participant_id for item in batch])
    for item, ok in zip(batch, allowed, strict=True):
        if not ok:
            item.outcome = Outcome(error=limits.ANSWER_MESSAGE, limited=True)
    by_workshop: dict[int, list[Item]] = defaultdict(list)
    for item in batch:
        if item.outcome is None:
            by_workshop[item.workshop_id].append(item)
    for workshop_id, items in by_workshop.items():
        _store_and_reply(workshop_id, items, people)


def _identify(batch: list[Item]) -> dict[int, Participant]:
    """Give each cookie its phone's ids (a cookie of no open workshop's phone is `unknown`);
    returns the participants it read, by id."""
    cookies = {item.sender for item in batch if isinstance(item.sender, PhoneCookie)}
    found = phones_by_cookies(cookies) if cookies else {}
    for item in batch:
        if isinstance(item.sender, PhoneCookie):
            p = found.get(item.sender)
            if p is None:
                item.outcome = Outcome(error=NOT_SAVED, unknown=True)
            else:
                item.sender = Sender.of(p)
    return {p.id: p for p in found.values()}


def _store_and_reply(workshop_id: int, items: list[Item], known: dict[int, Participant]) -> None:
    workshop = db.get(Workshop, workshop_id)
    if workshop is None:
        return
    ids = {item.participant_id for item in items}
    people = {i: known[i] for i in ids if i in known}
    if missing := ids - people.keys():
        people.update(
            (p.id, p) for p in db.scalars(select(Participant).where(Participant.id.in_(missing)))
        )
    items = [i for i in items if i.participant_id in people]
    answers = [Answer(people[i.participant_id], i.step_id, i.data, i.key) for i in items]
    rows: dict[str, list[Response]] = {}
    for item, outcome in zip(items, store(workshop, answers, rows), strict=True):
        item.outcome = outcome
    _replies(workshop, items, people, rows)


def _replies(
    workshop: Workshop,
    items: list[Item],
    people: dict[int, Participant],
    rows: dict[str, list[Response]],
) -> None:
    """Render each sender's reply, once per distinct phone view and error.

    The senders' own rows come from the store (`rows`): a reply that shows only its sender's
    answer reads nothing more; one that shows the room's (a board) reads the step once.
    """
    step = workshop.current_step
    view = step_view(workshop, step, known=rows) if step is not None else None
    kind = kind_of(step) if step is not None else None
    rendered: dict[Any, Any] = {}
    for item in items:
        p, outcome = people[item.participant_id], item.outcome
        assert outcome is not None
        patcher = getattr(item.reply, "patch", None)
        if patcher and kind and view and outcome.response is not None and not outcome.error:
            # A small change of the sender's own screen (a dot) needs not the whole screen.
            patch = kind.phone_patch(view.for_participant(p), item.data)
            if patch is not None:
                item.reply_value = patcher(workshop, view, patch)
                continue
        phone_key = kind.phone_key(view.for_participant(p)) if kind and view else "lobby"
        memo = (item.reply, phone_key if phone_key is not None else p.id, outcome.error)
        if memo not in rendered:
            rendered[memo] = item.reply(workshop, view, p, outcome)
        item.reply_value = rendered[memo]


_lock = threading.Lock()


def gatherer(app: Flask) -> Gatherer:
    """The app's one gathering worker, started on first use."""
    with _lock:  # one worker per app, however many answers arrive at the very first moment
        if "answers_gatherer" not in app.extensions:
            app.extensions["answers_gatherer"] = Gatherer(app)
        return app.extensions["answers_gatherer"]
