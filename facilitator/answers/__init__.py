"""Participant answers: the one entry point, whatever the transport, stored a burst at a time.

A phone answers by an HTTP POST or, while its socket is up, by a socket event; both call
`submit`. When a room answers at once, hundreds of answers arrive within a second: `submit`
gathers those that arrive within a few milliseconds and `store` writes them in one
transaction (one read of the owners' rows, one flush, one version bump, one push), then
each sender's reply is rendered once per distinct phone view and handed back.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

from flask import current_app, has_request_context

from ..db import db
from .burst import Item, gatherer, store_batch
from .store import (
    KEY_MAX,
    NOT_ACTIVE,
    NOT_SAVED,
    Answer,
    Outcome,
    PhoneCookie,
    Reply,
    Sender,
    clean_key,
    store,
)

__all__ = [
    "KEY_MAX",
    "NOT_ACTIVE",
    "NOT_SAVED",
    "Answer",
    "Outcome",
    "PhoneCookie",
    "Reply",
    "Sender",
    "clean_key",
    "store",
    "submit",
]


def submit(
    sender: Sender | PhoneCookie,
    step_id: int,
    data: Mapping[str, Any],
    key: Any,
    reply: Reply,
) -> tuple[Outcome, Any]:
    """The one entry point for an answer: store it (with the rest of its burst), then reply.

    Returns the outcome and what `reply` rendered for the sender: nothing when the answer was
    refused before the store (too many answers: `limited`; no such phone: `unknown`). A
    refused answer comes back as an outcome with an error, never as an exception.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    item = Item(sender, step_id, data, clean_key(key), reply)
    if app.config.get("ANSWER_GATHER_MS", 4) <= 0:
        # In the caller's own request and session; a socket event has no request, and the
        # reply's links need one.
        with nullcontext() if has_request_context() else app.test_request_context("/"):
            store_batch([item])
    else:
        # A waiting request must hold no database connection: a room answering at once
        # would take the whole pool and leave none for the worker that stores the burst.
        db.close()
        gatherer(app).put(item)
    return item.outcome or Outcome(error=NOT_SAVED), item.reply_value
