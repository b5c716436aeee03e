"""The plan pages over HTTP after the day: the committee's edit and read pages, meetings, links."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from facilitator.db import db
from facilitator.models import Participant, Workshop
from facilitator.plans.models import ActionItem, ActionPlan, StatusChange
from facilitator.timefmt import COPENHAGEN
from tests.conftest import csrf_token, post
from tests.plan_room import ROW
from tests.plans.conftest import committee

# ---- after the day -------------------------------------------------------------------------


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
