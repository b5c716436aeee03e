"""A burst of answers stored together: one bad answer fails alone, on every database."""

from __future__ import annotations

from sqlalchemy import select

from facilitator import answers
from facilitator.db import db
from facilitator.kinds import Submission, registry
from facilitator.models import Participant, Response, Workshop
from tests.conftest import join, post


def test_one_answer_refused_by_the_database_fails_alone(
    hostile_app, h_teacher, h_workshop, monkeypatch
):
    code, ws = h_workshop["code"], h_workshop["id"]
    with hostile_app.app_context():
        group = str(db.get(Workshop, ws).groups[0].id)
    for name in ("Pia", "Ole", "Kim"):
        join(hostile_app, code, name, group=group)
    post(h_teacher, f"/w/{ws}/go/1", page="/")
    scale = registry()["scale"]
    accept = scale.accept

    def fragile(view, data):  # a slot the database refuses (NOT NULL) for one sender
        return Submission(slot=None, payload={}) if data.get("bad") else accept(view, data)

    monkeypatch.setattr(scale, "accept", fragile)
    with hostile_app.app_context(), hostile_app.test_request_context("/"):
        workshop = db.get(Workshop, ws)
        step = workshop.current_step
        people = list(db.scalars(select(Participant).order_by(Participant.id)))
        burst = [
            answers.Answer(people[0], step.id, {"value": "4"}, "key-pia"),
            answers.Answer(people[1], step.id, {"value": "2", "bad": "1"}, "key-ole"),
            answers.Answer(people[2], step.id, {"value": "5"}, "key-kim"),
        ]
        outcomes = answers.store(workshop, burst)
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert outcomes[1].error == answers.NOT_SAVED
    with hostile_app.app_context():
        stored = db.scalars(select(Response.idempotency_key).order_by(Response.id)).all()
    assert stored == ["key-pia", "key-kim"]
