"""The action_plan kind's own routes over HTTP: phones and the instructor edit plans on the day."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from facilitator.db import db
from facilitator.models import Participant, Workshop
from tests.conftest import csrf_token, post
from tests.plan_room import ROW, plans_of, send


def test_phone_adds_a_row_to_its_own_groups_plan(app, teacher, room):
    resp = send(room["pia"], room, "/items", {**ROW, "deadline": "2026-06-30", "priority": "1"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    assert "Lydabsorbenter i frokoststuen" in html and "Åse Ørum" in html
    assert 'data-testid="row"' in html and "30. jun. 2026" in html
    [plan] = plans_of(app, room)
    assert plan.group_name == "Bord 1" and plan.stages[0] == "Ikke startet"
    [item] = plan.items
    assert (item.priority, item.deadline, item.stage) == (1, date(2026, 6, 30), 0)
    assert item.changes[0].by_name == "Pia"
    # The projector and the other phone of the group show it; the other group's does not.
    projector = teacher.get(f"/p/{room['code']}/fragment").get_data(as_text=True)
    assert "Lydabsorbenter i frokoststuen" in projector and "Bord 2" in projector
    assert 'data-phase="step"' in projector  # the kind's context never shadows the screen's
    assert "Lydabsorbenter" in room["ole"].get(f"/j/{room['code']}/fragment").get_data(as_text=True)
    assert "Lydabsorbenter" not in room["kim"].get(f"/j/{room['code']}/fragment").get_data(
        as_text=True
    )


def test_rows_from_earlier_steps_with_one_click_and_never_twice(app, room):
    html = room["pia"].get(f"/j/{room['code']}/fragment").get_data(as_text=True)
    assert "Støj i frokoststuen" in html and "Idétavle · Arbejdsmiljø · 7 prikker" in html
    source = "Idétavle · Arbejdsmiljø · 7 prikker"
    data = {"theme": "Støj i frokoststuen", "activity": "", "source": source}
    first = send(room["pia"], room, "/import", data)
    assert first.status_code == 200
    # The new row opens at once, so the group writes its activity straight away; the reply
    # carries the version the change left (the plan and its row bump it twice), or the page
    # would drop it for the push it caused and the row would close again.
    reply = first.get_data(as_text=True)
    assert '<details class="pi-edit" open>' in reply
    with app.app_context():
        version = db.scalars(select(Workshop.version)).one()
    assert f'data-v="{version}"' in reply
    # A second member taps the same theme, after a vote changed its label.
    again = send(room["ole"], room, "/import", {**data, "source": "Idétavle · 8 prikker"})
    assert again.status_code == 200 and "✓ I planen" in again.get_data(as_text=True)
    [plan] = plans_of(app, room)
    assert [(i.theme, i.source) for i in plan.items] == [("Støj i frokoststuen", source)]


def test_a_conflicting_edit_is_shown_and_keeps_the_input(app, room):
    send(room["pia"], room, "/items", ROW)
    [plan] = plans_of(app, room)
    item = plan.items[0]
    base = {**ROW, "version": str(item.version), "target": str(item.id)}
    ok = send(room["pia"], room, f"/items/{item.id}", {**base, "tovholder": "Pia"})
    assert ok.status_code == 200
    late = send(room["ole"], room, f"/items/{item.id}", {**base, "activity": "Mit forslag"})
    html = late.get_data(as_text=True)
    assert late.status_code == 422
    assert "Pia har ændret rækken, mens du skrev" in html
    assert "Mit forslag</textarea>" in html  # the input is kept in the form ...
    assert "Tovholder</dt><dd>Pia</dd>" in html.replace("\n", "").replace(
        "  ", ""
    )  # ... beside now
    [plan] = plans_of(app, room)
    assert plan.items[0].activity == ROW["activity"] and plan.items[0].tovholder == "Pia"
    # Saved again on the version it was shown, it goes through.
    current = re.search(
        rf'name="version" value="(\d+)">\s*<input type="hidden" name="target" value="{item.id}"',
        html,
    )
    again = send(
        room["ole"], room, f"/items/{item.id}",
        {**base, "activity": "Mit forslag", "version": current.group(1)},
    )  # fmt: skip
    assert again.status_code == 200
    assert plans_of(app, room)[0].items[0].activity == "Mit forslag"


def test_statuspil_moves_with_history_and_same_stage_twice_is_no_conflict(app, room):
    send(room["pia"], room, "/items", ROW)
    item = plans_of(app, room)[0].items[0]
    data = {"stage": "1", "version": str(item.version), "target": str(item.id)}
    assert send(room["pia"], room, f"/items/{item.id}/stage", data).status_code == 200
    assert send(room["ole"], room, f"/items/{item.id}/stage", data).status_code == 200
    clash = send(room["ole"], room, f"/items/{item.id}/stage", {**data, "stage": "3"})
    assert clash.status_code == 422 and "står nu på «I gang»" in clash.get_data(as_text=True)
    item = plans_of(app, room)[0].items[0]
    assert item.stage == 1
    assert [(c.from_stage, c.to_stage, c.by_name) for c in item.changes] == [
        (None, 0, "Pia"),
        (0, 1, "Pia"),
    ]


def test_the_days_phones_offer_no_effect_evaluation(app, room):
    html = send(room["pia"], room, "/items", ROW).get_data(as_text=True)
    buttons = re.findall(r'name="stage" value="(\d)"', html)
    assert buttons == ["0", "1", "2", "3"], buttons  # «Effekt evalueret» is for the follow-up
    assert "Gennemført" in html and ">Effekt evalueret</button>" not in html


def test_phone_cannot_touch_another_groups_rows(app, room):
    send(room["pia"], room, "/items", ROW)
    item = plans_of(app, room)[0].items[0]
    resp = send(room["kim"], room, f"/items/{item.id}/stage", {"stage": "2", "version": "1"})
    assert resp.status_code == 422 and "findes ikke" in resp.get_data(as_text=True)
    assert plans_of(app, room)[0].items[0].stage == 0


def test_phone_errors_are_danish_and_keep_the_input(room):
    resp = send(room["pia"], room, "/items", {"theme": "", "activity": "", "tovholder": "Bo"})
    assert resp.status_code == 422 and "Skriv en aktivitet" in resp.get_data(as_text=True)
    resp = send(room["pia"], room, "/items", {**ROW, "deadline": "30. juni"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "«Deadline» skal være en dato" in html
    assert "Lydabsorbenter i frokoststuen</textarea>" in html
    resp = send(room["pia"], room, "/items", {**ROW, "activity": "x" * 501})
    assert resp.status_code == 422 and "højst 500 tegn" in resp.get_data(as_text=True)


def test_who_may_post(app, room):
    stranger = app.test_client()
    resp = post(stranger, f"/plan/live/{room['step']}/items", ROW, page=f"/j/{room['code']}")
    assert resp.status_code == 401
    no_csrf = room["pia"].post(f"/plan/live/{room['step']}/items", data=ROW)
    assert no_csrf.status_code == 400
    assert send(room["pia"], room, "/items", ROW, headers={}).status_code == 200
    assert post(room["pia"], "/plan/live/999999/items", ROW, page="/login").status_code == 404


def test_native_post_without_htmx_redirects_back_to_the_phone(room):
    phone = room["pia"]
    token = csrf_token(phone, f"/j/{room['code']}")
    resp = phone.post(f"/plan/live/{room['step']}/items", data={**ROW, "csrf_token": token})
    assert resp.status_code == 302 and resp.location.endswith(f"/j/{room['code']}")


def test_plan_edits_refused_when_the_step_is_over(teacher, room):
    post(teacher, f"/w/{room['id']}/go/-1", page="/")
    resp = send(room["pia"], room, "/items", ROW)
    assert resp.status_code == 422
    assert "Handleplanen er ikke på skærmen" in resp.get_data(as_text=True)


def test_links_at_the_end_of_the_day(app, teacher, room):
    resp = post(teacher, f"/plan/live/{room['step']}/links", page="/")
    assert resp.status_code == 200
    plans = plans_of(app, room)
    assert sorted(p.group_name for p in plans) == ["Bord 1", "Bord 2"]
    assert all(len(p.edit_token) >= 40 and len(p.view_token) >= 40 for p in plans)
    mine = next(p for p in plans if p.group_name == "Bord 1")
    phone = room["pia"].get(f"/j/{room['code']}/fragment").get_data(as_text=True)
    assert f"/plan/{mine.edit_token}" in phone and f"/plan/v/{mine.view_token}" in phone
    assert phone.count("<svg") >= 2  # QR codes
    projector = teacher.get(f"/p/{room['code']}/fragment").get_data(as_text=True)
    assert f"/plan/{mine.edit_token}" not in projector  # the room sees only read-only codes
    assert projector.count('class="pp-qr"') == 2
    # The instructor opens a group's plan to write for it.
    resp = teacher.get(f"/plan/live/{room['step']}/open?group={room['groups'][1]}")
    assert resp.status_code == 302 and "/plan/" in resp.location
    assert room["pia"].get(f"/plan/live/{room['step']}/open?group=1").status_code == 404
    assert post(room["pia"], f"/plan/live/{room['step']}/links", page="/login").status_code == 404


def test_instructor_writes_for_a_participant_without_phone(app, teacher, room):
    resp = post(
        teacher,
        f"/w/{room['id']}/participants",
        {"name": "Jens", "group": room["groups"][1]},
        page="/",
    )
    pid = int(resp.location.rsplit("/", 1)[-1])
    resp = post(teacher, f"/plan/live/{room['step']}/items", {**ROW, "as": pid}, page="/")
    assert resp.status_code == 200 and "Du svarer for" not in resp.get_data(as_text=True)
    plan = next(p for p in plans_of(app, room) if p.group_name == "Bord 2")
    assert plan.items[0].changes[0].by_name == "Jens"
    # A phone cannot pretend to be someone else.
    send(room["pia"], room, "/items", {**ROW, "activity": "Andet", "as": pid})
    plan = next(p for p in plans_of(app, room) if p.group_name == "Bord 1")
    assert plan.items[0].changes[0].by_name == "Pia"


def test_a_pushed_phone_fragment_carries_no_foreign_csrf_token(app, room):
    """Pushes render without the phone's session: a token there would break its next post."""
    from facilitator.screens import render

    own = room["pia"].get(f"/j/{room['code']}/fragment").get_data(as_text=True)
    assert 'name="csrf_token"' in own  # the phone's own request: its own token, for no-JS posts
    with app.test_request_context("/"):
        workshop = db.get(Workshop, room["id"])
        pia = db.scalar(select(Participant).where(Participant.name == "Pia"))
        pushed = str(render("phone", workshop, participant=pia))
    assert "Tilføj rækken" in pushed and 'name="csrf_token"' not in pushed
