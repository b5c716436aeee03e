"""A course (hold) over several days: day 2 as its own workshop still finds day 1."""

from __future__ import annotations

import re

from facilitator import workshops
from facilitator.db import db
from facilitator.models import Participant, Workshop
from tests.conftest import csrf_token, join, post

TONIGHT = {"intro": "Til dig selv.", "questions": [{"text": "Hvad tager du med hjem?"}]}
RECALL = {"recall": "Overvej til i morgen", "questions": [{"text": "Hvad har du tænkt over?"}]}


def _workshop(app, teacher, title: str, continues: int | None = None, groups: str = "") -> dict:
    data = {"program": "", "title": title, "groups": groups}
    if continues:
        data["continues"] = str(continues)
    resp = post(teacher, "/workshops", data, page="/")
    assert resp.status_code == 302, resp.text
    workshop_id = int(resp.location.rstrip("/").split("/")[-1])
    with app.app_context():
        ws = db.get(Workshop, workshop_id)
        return {"id": ws.id, "code": ws.code, "course": ws.course_id}


def _step(app, ws: dict, title: str, content: dict) -> int:
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        step = workshops.add_step(workshop, "reflection", title, content)
        workshops.go_to(workshop, step.position)
        return step.id


def _write(phone, ws: dict, step_id: int, text: str):
    page = f"/j/{ws['code']}"
    return post(phone, f"/j/{ws['code']}/s/{step_id}", {"a0": text}, page=page)


def test_day_two_as_its_own_workshop_recalls_day_one(app, teacher):
    day1 = _workshop(app, teacher, "Hold 3, dag 1", groups="Bord 1\nBord 2")
    tonight = _step(app, day1, "Overvej til i morgen", TONIGHT)
    with app.app_context():
        groups = [g.id for g in db.get(Workshop, day1["id"]).groups]
    pia = join(app, day1["code"], "Pia", group=str(groups[1]))
    ole = join(app, day1["code"], "Ole", group=str(groups[0]))
    assert _write(pia, day1, tonight, "Mere åbenhed om budgettet").status_code == 200
    assert _write(ole, day1, tonight, "Ole skrev noget andet").status_code == 200

    day2 = _workshop(app, teacher, "Hold 3, dag 2", continues=day1["id"])
    assert day2["course"] is not None and day2["course"] == _workshop_course(app, day1)
    recall = _step(app, day2, "Siden i går", RECALL)
    # The same phone is offered to go on as Pia, at her own table (copied from day 1).
    page = pia.get(f"/j/{day2['code']}").text
    assert "Fortsæt som Pia" in page and 'data-testid="continue-as"' in page
    checked = re.search(r'value="(\d+)" required\s+checked> Bord 2', page)
    assert checked, "her table from day 1 is chosen"
    token = csrf_token(pia, f"/j/{day2['code']}")
    data = {"continue": "1", "group": checked.group(1), "name": "Mallory", "csrf_token": token}
    assert pia.post(f"/j/{day2['code']}", data=data).status_code == 302
    fragment = pia.get(f"/j/{day2['code']}/fragment").text
    assert "Mere åbenhed om budgettet" in fragment and "Ole skrev" not in fragment
    with app.app_context():
        people = db.query(Participant).filter_by(workshop_id=day2["id"]).all()
        assert [p.name for p in people] == ["Pia"]  # the name from day 1, not from the form
    assert recall


def test_a_new_phone_on_day_two_comes_back_with_the_day_one_code(app, teacher):
    day1 = _workshop(app, teacher, "Hold 4, dag 1")
    tonight = _step(app, day1, "Overvej til i morgen", TONIGHT)
    old_phone = join(app, day1["code"], "Åse")
    assert _write(old_phone, day1, tonight, "Færre møder uden dagsorden").status_code == 200
    with app.app_context():
        code = db.query(Participant).filter_by(workshop_id=day1["id"]).one().reentry_code
    day2 = _workshop(app, teacher, "Hold 4, dag 2", continues=day1["id"])
    _step(app, day2, "Siden i går", RECALL)
    new_phone = app.test_client()
    token = csrf_token(new_phone, f"/j/{day2['code']}")
    resp = new_phone.post(f"/j/{day2['code']}/igen", data={"reentry": code, "csrf_token": token})
    assert resp.status_code == 302
    assert "Færre møder uden dagsorden" in new_phone.get(f"/j/{day2['code']}/fragment").text


def test_a_stranger_on_day_two_sees_nothing_from_day_one(app, teacher):
    day1 = _workshop(app, teacher, "Hold 5, dag 1")
    tonight = _step(app, day1, "Overvej til i morgen", TONIGHT)
    pia = join(app, day1["code"], "Pia")
    _write(pia, day1, tonight, "Privat tanke fra dag 1")
    day2 = _workshop(app, teacher, "Hold 5, dag 2", continues=day1["id"])
    _step(app, day2, "Siden i går", RECALL)
    stranger = app.test_client()
    assert "continue-as" not in stranger.get(f"/j/{day2['code']}").text
    # A forged "continue" without a day-1 phone is an ordinary join under the typed name.
    token = csrf_token(stranger, f"/j/{day2['code']}")
    data = {"continue": "1", "name": "Pia", "csrf_token": token}
    assert stranger.post(f"/j/{day2['code']}", data=data).status_code == 302
    assert "Privat tanke fra dag 1" not in stranger.get(f"/j/{day2['code']}/fragment").text


def test_a_workshop_of_another_instructor_cannot_be_continued(app, teacher):
    from facilitator.views.auth import create_instructor

    with app.app_context():
        other = create_instructor("Kaj", "kaj@example.dk", "et-langt-kodeord")
        foreign = workshops.create(other, "Kajs hold")
        foreign_id = foreign.id
    resp = post(teacher, "/workshops", {"title": "Mit", "continues": str(foreign_id)}, page="/")
    assert resp.status_code == 404


def _workshop_course(app, ws: dict) -> int | None:
    with app.app_context():
        return db.get(Workshop, ws["id"]).course_id


def test_the_create_form_offers_to_continue_a_course(app, teacher):
    _workshop(app, teacher, "Hold 6, dag 1")
    page = teacher.get("/").text
    assert "Fortsæt kurset «Hold 6, dag 1»" in page
    assert "næste dag efter «MED-grunduddannelse dag 1»" in page
