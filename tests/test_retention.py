"""Retention: participants removed, workshops anonymised or deleted; plans always survive."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from facilitator import plans, reading, retention, workshops
from facilitator.db import db
from facilitator.models import Participant, Response, Workshop
from facilitator.plans.models import ActionPlan

from .conftest import join, make_workshop, post


def _scale_answer(app, phone, code: str, value: str = "4") -> None:
    """The phone answers the demo program's scale step (the instructor shows it first)."""
    with app.app_context():
        ws = db.scalar(select(Workshop).where(Workshop.code == code))
        step = ws.steps[1]
        workshops.go_to(ws, 1)
        step_id = step.id
    resp = post(phone, f"/j/{code}/s/{step_id}", {"value": value}, page=f"/j/{code}")
    assert resp.status_code == 200, resp.get_data(as_text=True)


def _plan_with_row(app, code: str, tovholder: str) -> int:
    with app.app_context():
        ws = db.scalar(select(Workshop).where(Workshop.code == code))
        plan = plans.create_plan("Handleplan", "Bord 1", workshop=ws, group=ws.groups[0])
        data = plans.ItemInput("Støj", "Lydabsorbenter", tovholder, None, 2, "")
        plans.add_item(plan, data, tovholder)
        return plan.id


def test_deleting_a_workshop_keeps_its_plans_and_their_links(app, teacher):
    ws = make_workshop(teacher, groups="Bord 1")
    plan_id = _plan_with_row(app, ws["code"], "Pia")
    resp = post(teacher, f"/w/{ws['id']}/delete", {"confirm": ws["code"].lower()}, page="/")
    assert resp.status_code == 302
    with app.app_context():
        assert db.get(Workshop, ws["id"]) is None
        plan = db.get(ActionPlan, plan_id)
        assert plan.workshop_id is None and plan.group_id is None
        assert plan.group_name == "Bord 1"
        assert [i.tovholder for i in plan.items] == ["Pia"]
        token = plan.edit_token
    page = teacher.get(f"/plan/{token}")
    assert page.status_code == 200
    assert "Lydabsorbenter" in page.get_data(as_text=True)


def test_delete_needs_the_code_typed(app, teacher):
    ws = make_workshop(teacher)
    resp = post(teacher, f"/w/{ws['id']}/delete", {"confirm": "forkert"}, page="/")
    assert resp.status_code == 302
    assert "Skriv workshoppens kode" in teacher.get(resp.location).get_data(as_text=True)
    with app.app_context():
        assert db.get(Workshop, ws["id"]) is not None


def test_removing_a_participant_drops_their_answers_but_not_the_plan_row(app, teacher):
    ws = make_workshop(teacher, groups="Bord 1")
    with app.app_context():
        group_id = str(db.get(Workshop, ws["id"]).groups[0].id)
    pia = join(app, ws["code"], "Pia", group_id)
    join(app, ws["code"], "Ole", group_id)
    _scale_answer(app, pia, ws["code"])
    plan_id = _plan_with_row(app, ws["code"], "Pia")
    with app.app_context():
        pia_id = db.scalar(select(Participant.id).where(Participant.name == "Pia"))
        assert db.scalar(select(func.count(Response.id))) == 1
    resp = post(teacher, f"/w/{ws['id']}/participants/remove", {"participant": pia_id}, page="/")
    assert resp.status_code == 302
    with app.app_context():
        assert [p.name for p in db.scalars(select(Participant))] == ["Ole"]
        assert db.scalar(select(func.count(Response.id))) == 0
        assert db.get(ActionPlan, plan_id).items[0].tovholder == "Pia"
    # The removed phone is a stranger now: it is asked to join again.
    assert "Kom med" in pia.get(f"/j/{ws['code']}").get_data(as_text=True)


def test_anonymising_replaces_names_and_cuts_the_phones_loose(app, teacher):
    ws = make_workshop(teacher)
    pia = join(app, ws["code"], "Pia")
    _scale_answer(app, pia, ws["code"], "5")
    resp = post(teacher, f"/w/{ws['id']}/anonymise", {"confirm": "ja"}, page="/")
    assert resp.status_code == 302
    with app.app_context():
        people = list(db.scalars(select(Participant)))
        assert [p.name for p in people] == ["Deltager 1"]
        assert reading.by_reentry_code(db.get(Workshop, ws["id"]), people[0].reentry_code) is None
        assert db.get(Workshop, ws["id"]).status == "closed"
    results = teacher.get(f"/w/{ws['id']}/results.json").get_json()
    assert results["steps"][1]["result"]["answers"] == 1  # the answer itself is kept
    assert "Pia" not in teacher.get(f"/w/{ws['id']}/results.csv").get_data(as_text=True)
    assert pia.get(f"/j/{ws['code']}").status_code == 410  # closed: the old phone is out


def test_retention_is_only_for_the_workshops_own_instructor(app, teacher):
    ws = make_workshop(teacher)
    stranger = app.test_client()
    resp = post(stranger, f"/w/{ws['id']}/delete", {"confirm": ws["code"]})
    assert resp.status_code == 302 and "/login" in resp.location
    no_csrf = teacher.post(f"/w/{ws['id']}/delete", data={"confirm": ws["code"]})
    assert no_csrf.status_code == 400
    with app.app_context():
        assert db.get(Workshop, ws["id"]) is not None


def test_purge_deletes_only_old_workshops(app, teacher):
    old = make_workshop(teacher)
    new = make_workshop(teacher)
    with app.app_context():
        db.get(Workshop, old["id"]).created_at -= timedelta(days=400)
        db.commit()
        assert retention.purge(365) == 1
        assert db.get(Workshop, old["id"]) is None
        assert db.get(Workshop, new["id"]) is not None
