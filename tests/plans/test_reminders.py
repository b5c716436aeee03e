"""Reminder mails, received by a real local SMTP server (aiosmtpd), with the clock moved."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from facilitator import plans
from facilitator.db import db
from facilitator.plans import reminders
from facilitator.plans import rules as plan_rules
from facilitator.plans.models import PlanReminder
from tests.conftest import post
from tests.mail_server import command_env, free_port
from tests.plans.conftest import committee

CONTACT = "trio@boernehuset.example.dk"


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield
        db.remove()


def make_plan(contact: str | None = CONTACT, title: str = "Trivsel 2026"):
    plan = plans.create_plan(title, "Børnehuset Ærø")
    rows = [
        ("Lydabsorbenter i frokoststuen", "Åse Ørum", "2026-06-30"),
        ("Trivselsdialog i august", "", "2026-08-01"),
        ("Allerede gjort", "Kim", "2026-06-29"),
    ]
    for activity, who, deadline in rows:
        form = {"activity": activity, "tovholder": who, "deadline": deadline}
        plans.add_item(plan, plans.read_item_form(form), "Pia Participant")
    done = plan.items[2]
    plans.move_stage(done, 3, done.version, "Pia Participant", note="Pia Participant ordnede det")
    plans.update_plan(plan, title, "", "2026-07-03", contact or "")
    return plan


def run(on: str) -> int:
    return reminders.send_due(days=7, on=date.fromisoformat(on))


def test_each_event_is_mailed_once_before_it_happens(ctx, smtp):
    plan = make_plan()
    make_plan(contact=None, title="Uden kontakt")
    closed = make_plan(title="Lukket")
    plans.revoke_token(closed, "edit")
    plans.revoke_token(closed, "view")
    assert run("2026-06-22") == 0 and smtp.take() == []  # 30 June is 8 days away
    assert run("2026-06-23") == 1
    [(to, mail)] = smtp.take()
    assert to == [CONTACT] and mail["To"] == CONTACT
    assert mail["Subject"] == "Påmindelse: Trivsel 2026 (Børnehuset Ærø)"
    body = mail.get_content()
    assert (
        "- «Lydabsorbenter i frokoststuen»: deadline 30. jun. 2026 (om 7 dage). "
        "Tovholder: Åse Ørum. Status: Ikke startet." in body
    )
    assert f"https://kursus.example.dk/plan/v/{plan.view_token}" in body
    # No more than the plan shows its readers: no edit link, no names from the history.
    assert plan.edit_token not in body and "Pia" not in body and "Allerede gjort" not in body
    assert run("2026-06-23") == 0 and smtp.take() == []  # once per event
    assert run("2026-06-26") == 1
    [(_, mail)] = smtp.take()
    assert "Opfølgningsmøde 3. jul. 2026 (om 7 dage)" in mail.get_content()
    assert "Lydabsorbenter" not in mail.get_content()
    # A moved deadline is a new event.
    item = plan.items[0]
    form = {"activity": item.activity, "tovholder": item.tovholder, "deadline": "2026-07-01"}
    plans.update_item(item, plans.read_item_form(form), item.version, "Åse")
    assert run("2026-06-27") == 1
    assert "deadline 1. jul. 2026 (om 4 dage)" in smtp.take()[0][1].get_content()
    assert run("2026-07-01") == 0  # the day itself: already told


def test_the_day_is_danish_at_half_past_eleven_utc(ctx, smtp, monkeypatch):
    make_plan()
    monkeypatch.delenv("FACILITATOR_TODAY", raising=False)
    late = datetime(2026, 6, 22, 23, 30, tzinfo=UTC)  # 01.30 on 23 June in Copenhagen
    monkeypatch.setattr(plan_rules, "utcnow", lambda: late)
    assert reminders.send_due(days=7) == 1
    assert "(om 7 dage)" in smtp.take()[0][1].get_content()


def test_a_refused_mail_is_tried_again_on_the_next_run(ctx, smtp, app):
    make_plan(title="Lang titel med æøå " * 10)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    assert run("2026-06-23") == 0
    assert db.scalar(select(func.count()).select_from(PlanReminder)) == 0
    app.config["SMTP_PORT"] = port
    assert run("2026-06-23") == 1
    assert smtp.take()[0][1]["Subject"].startswith("Påmindelse: Lang titel med æøå")


def test_without_smtp_host_the_mail_is_printed(ctx, app, capsys):
    make_plan()
    app.config.update(SMTP_HOST=None, PUBLIC_URL=None)
    assert run("2026-06-23") == 1
    out = capsys.readouterr().out
    assert "Subject: Påmindelse: Trivsel 2026 (Børnehuset Ærø)" in out
    assert "Åbn planen med udvalgets link." in out


def test_the_send_reminders_command(app, smtp, monkeypatch, capsys):
    from facilitator import cli

    with app.test_request_context("/"):
        make_plan()
        db.remove()
    command_env(app, monkeypatch, "2026-06-30")
    assert cli.main(["send-reminders", "--days", "3"]) == 0
    assert "1 påmindelser er sendt." in capsys.readouterr().out
    [(_, mail)] = smtp.take()
    assert "deadline 30. jun. 2026 (i dag)" in mail.get_content()


@pytest.mark.parametrize(
    "bad",
    ["ikke en adresse", "a@b.dk\nBcc: x@y.dk", "a@b.dk, c@d.dk", "<a@b.dk>", "æ" * 250 + "@b.dk"],
)
def test_a_contact_is_one_plain_address(bad):
    with pytest.raises(plans.PlanError, match="Kontaktperson"):
        plan_rules.parse_email(bad)
    assert plan_rules.parse_email("  ") is None
    assert (
        plan_rules.parse_email(" Trio.MED@børnehuset.example.dk ")
        == "Trio.MED@børnehuset.example.dk"
    )


def test_the_committee_sets_the_contact_and_hostile_input_is_refused(app, plan):
    client = committee(app, plan)
    page = f"/plan/{plan.edit_token}"
    form = {"title": "Plan", "stages": "", "next_followup": ""}
    bad = {**form, "contact_email": "a@b.dk\r\nBcc: x@y.dk"}
    resp = post(client, f"{page}/settings", bad, page=page)
    assert resp.status_code == 422 and "Kontaktperson (e-mail)" in resp.get_data(as_text=True)
    ok = post(client, f"{page}/settings", {**form, "contact_email": " trio@ærø.dk "}, page=page)
    assert ok.status_code == 302
    assert 'value="trio@ærø.dk"' in client.get(page).get_data(as_text=True)
    assert "trio@ærø.dk" not in client.get(f"/plan/v/{plan.view_token}").get_data(as_text=True)
    assert "trio@ærø.dk" not in client.get(f"{page}/export.csv").get_data(as_text=True)


def test_a_danish_domain_is_sent_in_its_ascii_form(ctx, smtp):
    make_plan(contact="trio@ærø.dk")
    assert run("2026-06-23") == 1
    [(to, _)] = smtp.take()
    assert to == ["trio@xn--r-3fa9c.dk"]
