"""workshops: the write domain. Every write moves the version; joins never collide."""

from __future__ import annotations

import threading

import pytest

from facilitator import workshops
from facilitator.db import db
from facilitator.kinds import Rejected
from facilitator.models import Participant, Workshop
from facilitator.programs import load
from tests.conftest import make_workshop


def test_every_write_moves_the_version(app, teacher):
    ws = make_workshop(teacher, program="")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        seen = [workshop.version]
        workshops.add_step(workshop, "scale", "", {"statement": "Enig?"})
        seen.append(workshop.version)
        workshops.join(workshop, "Pia")
        seen.append(workshop.version)
        workshops.go_to(workshop, 0)
        seen.append(workshop.version)
        workshops.act(workshop, workshop.steps[0], "reveal", {})
        seen.append(workshop.version)
        workshops.append_program(workshop, load("demo"))
        seen.append(workshop.version)
        workshops.set_status(workshop, "closed")
        seen.append(workshop.version)
        assert seen == sorted(set(seen)) and len(seen) == 7
        assert workshop.status == "closed" and workshop.steps[0].title == "Hvor enig er du i ..."


def test_bad_moves_are_refused_in_danish(app, teacher):
    ws = make_workshop(teacher)
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        with pytest.raises(Rejected, match="Det trin findes ikke"):
            workshops.go_to(workshop, len(workshop.steps))
        with pytest.raises(Rejected, match="Ukendt status"):
            workshops.set_status(workshop, "paused")
        with pytest.raises(workshops.JoinError, match="Skriv dit navn"):
            workshops.join(workshop, "   ")
        with pytest.raises(workshops.JoinError, match="højst 60 tegn"):
            workshops.join(workshop, "Æ" * 61)
        workshops.set_status(workshop, "closed")
        with pytest.raises(workshops.JoinError, match="afsluttet"):
            workshops.join(workshop, "Pia")


def test_a_room_joining_at_once_gets_distinct_codes(app, teacher, monkeypatch):
    """Codes drawn from a tiny alphabet clash: the database refuses, the join draws again."""
    monkeypatch.setattr(workshops, "REENTRY_DIGITS", "2345")
    monkeypatch.setattr(workshops, "REENTRY_LENGTH", 3)  # 64 codes for 10 people
    ws = make_workshop(teacher)
    errors: list[Exception] = []

    def one(n: int) -> None:
        with app.app_context():
            try:
                workshops.join(db.get(Workshop, ws["id"]), f"Deltager {n}")
            except Exception as exc:  # noqa: BLE001  collected and asserted below
                errors.append(exc)
            db.remove()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        codes = [p.reentry_code for p in db.query(Participant).filter_by(workshop_id=ws["id"])]
    assert len(codes) == 10 == len(set(codes))


def test_an_action_on_a_step_of_another_workshop_is_refused(app, teacher):
    a, b = make_workshop(teacher), make_workshop(teacher)
    with app.app_context():
        first, second = db.get(Workshop, a["id"]), db.get(Workshop, b["id"])
        with pytest.raises(Rejected, match="hører ikke til"):
            workshops.act(first, second.steps[0], "reveal", {})
