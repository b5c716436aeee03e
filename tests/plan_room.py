"""A workshop with two tables, an idea board and an action plan step: the plan tests' room."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitator import kinds, workshops
from facilitator.db import db
from facilitator.kinds import ExerciseKind
from facilitator.models import Workshop
from facilitator.plans.models import ActionPlan
from tests.conftest import join, make_workshop, post


class FakeBoard(ExerciseKind):
    """An earlier step that offers themes the way the idea board does ("plan_candidates")."""

    name = "fake_board"
    title = "Idétavle (test)"

    def parse(self, raw):
        return dict(raw)

    def results(self, view):
        return {
            "plan_candidates": [
                {
                    "theme": "Støj i frokoststuen",
                    "source": "Idétavle · Arbejdsmiljø · 7 prikker",
                    "weight": 7,
                },
                {
                    "theme": "Introduktion af nye kolleger",
                    "source": "Idétavle · Samarbejde · 4 prikker",
                    "weight": 4,
                },
            ]
        }


@pytest.fixture
def room(app, teacher, monkeypatch):
    """Two groups, an idea board step, then the action plan step on the screens."""
    monkeypatch.setitem(kinds._registry, "fake_board", FakeBoard())
    ws = make_workshop(teacher, program="", groups="Bord 1\nBord 2")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        ws["groups"] = [g.id for g in workshop.groups]
        workshops.add_step(workshop, "fake_board", "Idétavle", {})
        workshop = db.get(Workshop, ws["id"])  # a push ends the session: fetch it again
        step = workshops.add_step(
            workshop, "action_plan", "Handleplan", {"prompt": "Hvad gør vi nu?"}
        )
        ws["step"] = step.id
    assert post(teacher, f"/w/{ws['id']}/go/1", page="/").status_code == 200
    ws["pia"] = join(app, ws["code"], "Pia", group=str(ws["groups"][0]))
    ws["ole"] = join(app, ws["code"], "Ole", group=str(ws["groups"][0]))
    ws["kim"] = join(app, ws["code"], "Kim", group=str(ws["groups"][1]))
    return ws


def send(phone, room, path: str, data: dict, **kw):
    return post(phone, f"/plan/live/{room['step']}{path}", data, page=f"/j/{room['code']}", **kw)


ROW = {"theme": "Støj", "activity": "Lydabsorbenter i frokoststuen", "tovholder": "Åse Ørum"}


def plans_of(app, room) -> list[ActionPlan]:
    with app.app_context():
        found = db.scalars(select(ActionPlan).where(ActionPlan.workshop_id == room["id"]))
        plans = list(found)
        for plan in plans:
            _ = [i.changes for i in plan.items]
        return plans
