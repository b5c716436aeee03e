"""The plan blueprint over HTTP: phones on the day, the committee's pages, links and tokens."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from facilitator import workshops
from facilitator.db import db
from facilitator.kinds import ExerciseKind
from facilitator.models import ActionItem, ActionPlan, Participant, StatusChange, Workshop
from facilitator.timefmt import COPENHAGEN
from tests.conftest import csrf_token, join, make_workshop, post


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
    from exercises import KINDS

    monkeypatch.setitem(KINDS, "fake_board", FakeBoard())
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


# ---- after the day -------------------------------------------------------------------------


@pytest.fixture
def plan(app, teacher, room):
    send(room["pia"], room, "/items", {**ROW, "deadline": "2026-03-01"})
    send(room["pia"], room, "/items", {"activity": "Trivselsdialog på personalemødet"})
    post(teacher, f"/plan/live/{room['step']}/links", page="/")
    return next(p for p in plans_of(app, room) if p.group_name == "Bord 1")


def committee(app, plan, name: str = "Åse"):
    client = app.test_client()
    resp = post(
        client, f"/plan/{plan.edit_token}/me", {"by_name": name}, page=f"/plan/{plan.edit_token}"
    )
    assert resp.status_code == 302
    return client


def test_edit_page_shows_overdue_first_in_danish_time(app, plan, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-03-10")
    html = app.test_client().get(f"/plan/{plan.edit_token}").get_data(as_text=True)
    assert "Over fristen" in html and "9 dage over fristen" in html
    assert html.index("Lydabsorbenter") < html.index("Trivselsdialog")
    assert "I dag er 10. mar. 2026" in html
    assert 'data-testid="overdue-count">1 række over fristen' in html
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-03-01")
    html = app.test_client().get(f"/plan/{plan.edit_token}").get_data(as_text=True)
    assert "Ingen rækker over fristen" in html and "1. mar. 2026 · i dag" in html


def test_committee_moves_edits_and_deletes_rows(app, plan):
    client = committee(app, plan)
    item = plan.items[0]
    base = f"/plan/{plan.edit_token}/items/{item.id}"
    page = f"/plan/{plan.edit_token}"
    resp = post(client, f"{base}/stage", {"stage": "3", "version": item.version}, page=page)
    assert resp.status_code == 302 and resp.location.endswith(f"#row-{item.id}")
    html = client.get(page).get_data(as_text=True)
    assert (
        "«Lydabsorbenter i frokoststuen» står nu på «Gennemført»." in html
        and "flyttede fra «Ikke startet» til «Gennemført»" in html
    )
    assert "Åse" in html
    stale = post(client, base, {**ROW, "activity": "Ny tekst", "version": item.version}, page=page)
    assert stale.status_code == 409 and "Ny tekst</textarea>" in stale.get_data(as_text=True)
    fresh = db_item(app, item.id)
    ok = post(client, base, {**ROW, "deadline": "2026-04-01", "version": fresh.version}, page=page)
    assert ok.status_code == 302
    assert "Deadline 1. mar. 2026 → 1. apr. 2026" in client.get(page).get_data(as_text=True)
    fresh = db_item(app, item.id)
    assert (
        post(client, f"{base}/delete", {"version": fresh.version - 1}, page=page).status_code == 409
    )
    assert post(client, f"{base}/delete", {"version": fresh.version}, page=page).status_code == 302
    assert db_item(app, item.id) is None
    with app.app_context():
        assert db.scalar(select(StatusChange).where(StatusChange.item_id == item.id)) is None


def db_item(app, item_id):
    with app.app_context():
        return db.get(ActionItem, item_id)


def test_committee_without_a_name_is_asked_for_it(app, plan):
    client = app.test_client()
    item = plan.items[0]
    resp = post(
        client,
        f"/plan/{plan.edit_token}/items/{item.id}/stage",
        {"stage": "1", "version": item.version},
        page=f"/plan/{plan.edit_token}",
    )
    assert resp.status_code == 422 and "Skriv dit navn" in resp.get_data(as_text=True)
    resp = post(
        client,
        f"/plan/{plan.edit_token}/items",
        {"activity": "Ny", "by_name": "Bo"},
        page=f"/plan/{plan.edit_token}",
    )
    assert resp.status_code == 302


def test_read_only_link_changes_nothing_and_wrong_tokens_get_404(app, plan):
    reader = app.test_client()
    html = reader.get(f"/plan/v/{plan.view_token}").get_data(as_text=True)
    assert "Lydabsorbenter" in html and "uden at kunne ændre" in html
    assert "<form" not in html and plan.edit_token not in html
    assert reader.get(f"/plan/{plan.view_token}").status_code == 404
    page = f"/plan/v/{plan.view_token}"
    item = plan.items[0]
    for path in (
        f"/plan/{plan.view_token}/items",
        f"/plan/{plan.view_token}/items/{item.id}/stage",
        f"/plan/{plan.view_token}/settings",
        f"/plan/{plan.view_token}/meeting/{item.id}",
    ):
        assert post(reader, path, {"stage": "4", "version": 1, **ROW}, page=page).status_code == 404
    assert plans_of_item_stage(app, item.id) == 0
    wrong = reader.get("/plan/" + "x" * 43)
    assert wrong.status_code == 404 and "Planen findes ikke" in wrong.get_data(as_text=True)
    assert reader.get("/plan/v/" + plan.edit_token).status_code == 404
    assert reader.get(f"/plan/{plan.view_token}/export.csv").status_code == 200
    assert reader.get(f"/plan/{plan.view_token}/export.pdf").status_code == 404
    assert "text/calendar" in reader.get(f"/plan/{plan.view_token}/calendar.ics").content_type
    printed = reader.get(f"/plan/{plan.view_token}/print").get_data(as_text=True)
    assert plan.edit_token not in printed and "Hvor langt er vi?" in printed


def plans_of_item_stage(app, item_id):
    return db_item(app, item_id).stage


def test_follow_up_meeting_walks_the_plan(app, plan, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-05-04")
    client = committee(app, plan, "Mødet")
    token = plan.edit_token
    start = client.get(f"/plan/{token}/meeting").get_data(as_text=True)
    assert "Hvor langt er vi?" in start and "Start gennemgangen" in start
    first = client.get(f"/plan/{token}/meeting?row=1").get_data(as_text=True)
    assert "Række 1 af 2" in first
    item = plan.items[0]
    resp = post(
        client,
        f"/plan/{token}/meeting/{item.id}",
        {"stage": "3", "version": item.version, "decision": "Følg op i juni"},
        page=f"/plan/{token}",
    )
    assert resp.status_code == 302 and resp.location.endswith("row=2")
    second = client.get(f"/plan/{token}/meeting?row=1").get_data(as_text=True)
    assert "Sidst aftalt" in second and "Følg op i juni" in second and "Har det virket?" in second
    end = client.get(f"/plan/{token}/meeting?row=3").get_data(as_text=True)
    assert "Gennemgangen er færdig" in end
    resp = post(
        client,
        f"/plan/{token}/meeting/finish",
        {"next_followup": "2026-06-15"},
        page=f"/plan/{token}",
    )
    assert resp.status_code == 302
    with app.app_context():
        saved = db.get(ActionPlan, plan.id)
        assert (saved.next_followup, saved.last_followup) == (date(2026, 6, 15), date(2026, 5, 4))
        change = db.get(ActionItem, item.id).changes[-1]
        # History is stamped in UTC; the meeting's day is the Danish one (FACILITATOR_TODAY).
        day = change.at.astimezone(COPENHAGEN).date()
        assert (change.decision, change.by_name, day) == (
            "Følg op i juni",
            "Mødet",
            date(2026, 5, 4),
        )
    bad = post(
        client, f"/plan/{token}/meeting/finish", {"next_followup": "snart"}, page=f"/plan/{token}"
    )
    assert bad.status_code == 422 and "«Næste opfølgning» skal være en dato" in bad.get_data(
        as_text=True
    )


def test_settings_rename_and_statuspil(app, plan):
    client = committee(app, plan)
    page = f"/plan/{plan.edit_token}"
    ok = post(
        client,
        f"{page}/settings",
        {
            "title": "Plan for høj svarprocent",
            "stages": "Ikke startet\nI gang\nFærdig\nVirker",
            "next_followup": "2026-09-01",
        },
        page=page,
    )
    assert ok.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Plan for høj svarprocent" in html and "1. sep. 2026" in html and "Virker" in html
    bad = post(client, f"{page}/settings", {"title": "X", "stages": "Kun ét"}, page=page)
    assert bad.status_code == 422 and "mellem 2 og 8 trin" in bad.get_data(as_text=True)


def test_overview_and_token_renewal(app, teacher, plan):
    html = teacher.get("/plans").get_data(as_text=True)
    assert html.count('data-testid="overview-row"') == 2 and "Bord 1" in html
    assert app.test_client().get("/plans").status_code == 302  # login required
    old = plan.edit_token
    resp = post(teacher, f"/plans/{plan.id}/edit/renew", page="/plans")
    assert resp.status_code == 302
    assert app.test_client().get(f"/plan/{old}").status_code == 404
    with app.app_context():
        renewed = db.get(ActionPlan, plan.id)
    assert (
        renewed.edit_token != old
        and app.test_client().get(f"/plan/{renewed.edit_token}").status_code == 200
    )
    assert post(teacher, f"/plans/{plan.id}/view/revoke", page="/plans").status_code == 302
    assert app.test_client().get(f"/plan/v/{plan.view_token}").status_code == 404
    assert post(teacher, f"/plans/{plan.id}/secret/renew", page="/plans").status_code == 404


def test_another_instructor_sees_no_foreign_plans(app, plan):
    from facilitator.views.auth import create_instructor

    with app.app_context():
        create_instructor("Bo Anden", "bo@example.dk", "korrekt-hest-batteri")
    other = app.test_client()
    token = csrf_token(other, "/login")
    other.post(
        "/login",
        data={"email": "bo@example.dk", "password": "korrekt-hest-batteri", "csrf_token": token},
    )
    assert 'data-testid="total-plans">0<' in other.get("/plans").get_data(as_text=True)
    assert post(other, f"/plans/{plan.id}/edit/renew", page="/plans").status_code == 404


def test_plans_outlive_their_workshop_and_participants(app, teacher, plan, room):
    with app.app_context():
        pia = db.scalar(select(Participant).where(Participant.name == "Pia"))
        db.delete(pia)
        db.commit()
        db.delete(db.get(Workshop, room["id"]))
        db.commit()
        kept = db.get(ActionPlan, plan.id)
        assert kept is not None and kept.workshop_id is None and len(kept.items) == 2
        assert kept.items[0].tovholder == "Åse Ørum" and kept.items[0].changes[0].by_name == "Pia"
    html = app.test_client().get(f"/plan/{plan.edit_token}").get_data(as_text=True)
    assert "Lydabsorbenter" in html
    overview = teacher.get("/plans").get_data(as_text=True)
    assert "Workshoppen er slettet" in overview


def test_plan_pages_keep_the_csp(app, plan):
    resp = app.test_client().get(f"/plan/{plan.edit_token}")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Cache-Control"] == "no-store" and "noindex" in resp.headers["X-Robots-Tag"]
    html = resp.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html


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
