"""Privacy: names leave the plans' history with the workshop's, plans can be deleted, and
closed plans are deleted after the retention period."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from facilitator import plans, retention
from facilitator.db import db
from facilitator.models import Participant, Workshop
from facilitator.plans.models import ActionPlan, StatusChange
from tests.conftest import post
from tests.plans.conftest import committee


def history(app, plan_id: int) -> list[tuple[str, str, str]]:
    """(author, note, decision) of every entry of the plan's history, oldest first."""
    with app.app_context():
        found = db.scalars(select(StatusChange).order_by(StatusChange.id))
        return [(c.by_name, c.note, c.decision) for c in found if c.item.plan_id == plan_id]


def test_anonymising_replaces_names_in_plan_history_but_keeps_the_tovholder(
    app, teacher, plan, room
):
    client = committee(app, plan, "Ole")  # a participant who goes on after the day
    item = plan.items[0]
    page = f"/plan/{plan.edit_token}"
    post(
        client,
        f"{page}/items/{item.id}/stage",
        {
            "stage": 1,
            "version": item.version,
            "note": "Pia og Ole ringer; Olesen og Pias bror ikke",
        },
        page=page,
    )
    other = committee(app, plan, "Åse Ørum")  # not a participant of the workshop
    learned = {"stage": 4, "version": 2, "effect": "ja", "learned": "Kim havde ret"}
    post(other, f"{page}/items/{item.id}/stage", learned, page=page)
    resp = post(teacher, f"/w/{room['id']}/anonymise", {"confirm": "ja"}, page="/")
    assert resp.status_code == 302
    entries = history(app, plan.id)
    assert [e[0] for e in entries] == ["Deltager 1", "Deltager 1", "Deltager 2", "Åse Ørum"]
    assert entries[2][1] == "Deltager 1 og Deltager 2 ringer; Olesen og Pias bror ikke"
    html = app.test_client().get(page).get_data(as_text=True)
    assert "Deltager 2" in html and ">Pia<" not in html and "Åse Ørum" in html  # tovholder
    assert (
        "Kim havde ret" not in html and html.count("Deltager 3 havde ret") == 3
    )  # row, history, form


def test_deleting_a_workshop_or_a_participant_leaves_no_names_in_plans(app, plan, room):
    with app.app_context():
        ole = db.scalar(select(Participant).where(Participant.name == "Ole"))
        retention.remove_participant(ole)
    committee(app, plan, "Pia")
    with app.app_context():
        retention.delete_workshop(db.get(Workshop, room["id"]))
        kept = db.get(ActionPlan, plan.id)
        assert kept is not None and len(kept.items) == 2
    assert {e[0] for e in history(app, plan.id)} == {"Deltager 1"}


def test_the_committee_deletes_its_plan_after_confirming(app, plan):
    client = committee(app, plan)
    page = f"/plan/{plan.edit_token}"
    assert 'data-testid="delete-plan"' in client.get(page).get_data(as_text=True)
    confirm = client.get(f"{page}/delete")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Slet «Handleplan»?" in html
    assert "2 rækker og al historik" in html and "Det kan ikke fortrydes" in html
    assert client.post(f"{page}/delete", data={"confirm": "ja"}).status_code == 400  # no CSRF
    refused = post(client, f"{page}/delete", {}, page=page)
    assert refused.status_code == 422 and "Sæt flueben" in refused.get_data(as_text=True)
    # The read link cannot delete.
    assert client.get(f"/plan/{plan.view_token}/delete").status_code == 404
    assert post(client, f"/plan/{plan.view_token}/delete", {"confirm": "ja"}).status_code == 404
    done = post(client, f"{page}/delete", {"confirm": "ja"}, page=page)
    assert done.status_code == 200 and "Handleplanen er slettet" in done.get_data(as_text=True)
    assert client.get(page).status_code == 404
    assert client.get(f"/plan/v/{plan.view_token}").status_code == 404
    with app.app_context():
        assert db.get(ActionPlan, plan.id) is None
        assert db.scalar(select(StatusChange).limit(1)) is None  # its history went with it
        assert db.scalar(select(ActionPlan).where(ActionPlan.group_name == "Bord 2")) is not None


def test_the_instructor_deletes_only_their_own_plans(app, teacher, plan):
    from facilitator.views.auth import create_instructor

    with app.app_context():
        create_instructor("Bo Anden", "bo@example.dk", "korrekt-hest-batteri")
    bo = app.test_client()
    post(bo, "/login", {"email": "bo@example.dk", "password": "korrekt-hest-batteri"})
    assert bo.get(f"/plans/{plan.id}/delete").status_code == 404
    assert post(bo, f"/plans/{plan.id}/delete", {"confirm": "ja"}).status_code == 404
    assert "Slet planen …" in teacher.get("/plans").get_data(as_text=True)
    assert "Slet «Handleplan»?" in teacher.get(f"/plans/{plan.id}/delete").get_data(as_text=True)
    resp = post(teacher, f"/plans/{plan.id}/delete", {"confirm": "ja"}, page="/plans")
    assert resp.status_code == 302
    assert "er slettet med alle rækker" in teacher.get("/plans").get_data(as_text=True)
    with app.app_context():
        assert db.get(ActionPlan, plan.id) is None


def test_closed_plans_are_deleted_after_the_retention_period(app):
    with app.app_context():
        kept = plans.create_plan("Åben plan", "Bord 1")
        closed = plans.create_plan("Lukket plan", "Bord 2")
        plans.revoke_token(closed, "edit")
        assert closed.closed_at is None  # one link still open
        plans.revoke_token(closed, "view")
        stamp = closed.closed_at
        assert stamp is not None
        plans.renew_token(kept, "view")
        ids = kept.id, closed.id
        # Closed 31 August 23:30 UTC: kept on 28 February, deleted from 1 March on.
        closed.closed_at = datetime(2026, 8, 31, 23, 30, tzinfo=UTC)
        db.commit()
        assert retention.purge_closed_plans(6, now=datetime(2027, 2, 28, 23, 0, tzinfo=UTC)) == 0
        assert retention.purge_closed_plans(6, now=datetime(2027, 3, 1, 0, 0, tzinfo=UTC)) == 1
        assert db.get(ActionPlan, ids[0]) is not None and db.get(ActionPlan, ids[1]) is None
        reopened = plans.create_plan("Genåbnet", "Bord 3")
        plans.revoke_token(reopened, "edit")
        plans.revoke_token(reopened, "view")
        plans.renew_token(reopened, "view")
        assert reopened.closed_at is None
        db.remove()


def test_the_purge_plans_command_reads_the_setting(app, monkeypatch, capsys):
    from facilitator import cli

    with app.app_context():
        plan = plans.create_plan("Gammel", "Bord 1")
        plans.revoke_token(plan, "edit")
        plans.revoke_token(plan, "view")
        plan.closed_at = datetime(2020, 1, 1, tzinfo=UTC)
        db.commit()
        plan_id = plan.id
        db.remove()
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.setenv("MIGRATE_ON_START", "0")
    monkeypatch.delenv("PLAN_RETENTION_MONTHS", raising=False)
    assert cli.main(["purge-plans"]) == 0
    assert "Ingen opbevaringsperiode" in capsys.readouterr().out
    monkeypatch.setenv("PLAN_RETENTION_MONTHS", "24")
    assert cli.main(["purge-plans"]) == 0
    assert "1 lukkede handleplaner ældre end 24 måneder er slettet." in capsys.readouterr().out
    with app.app_context():
        assert db.get(ActionPlan, plan_id) is None
