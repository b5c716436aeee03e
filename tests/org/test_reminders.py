"""Reminders to a place's contact when a round's deadline nears without a plan, received by a
real local SMTP server (aiosmtpd), with the clock moved.

The round (tests/org/conftest.py) runs over the whole Testkommune with its deadline on 30 June
2026; plans made from 8 April count. With `plans`, Skole A and Skole B have a plan, Dagtilbud D
only one from 2023, Ældre C and Dagtilbud E none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from facilitator.db import db
from facilitator.org import reminders
from facilitator.org.models import Place, Round, RoundReminder
from facilitator.plans import rules as plan_rules
from tests.conftest import post
from tests.mail_server import command_env

C_MAIL = "med@aeldre-c.example.dk"


def set_contacts(app, org: dict[str, int], **contacts: str) -> None:
    """Contacts by place name (underscores for spaces, æ as ae): Aeldre_C="x@y.dk"."""
    with app.app_context():
        for key, address in contacts.items():
            name = key.replace("_", " ").replace("Aeldre", "Ældre")
            db.get(Place, org[name]).contact_email = address
        db.commit()


def run(app, on: str) -> int:
    with app.app_context():
        try:
            return reminders.send_due(days=7, on=date.fromisoformat(on))
        finally:
            db.remove()


@pytest.fixture
def contacts(app, org, round_id, plans) -> dict[str, int]:
    """Ældre C (no plan) and Skole A (a plan of this round) have a contact."""
    set_contacts(app, org, Aeldre_C=C_MAIL, Skole_A="med@skole-a.example.dk")
    return org


def test_a_place_without_a_plan_hears_seven_days_before(app, contacts, smtp, plans):
    assert run(app, "2026-06-22") == 0 and smtp.take() == []  # 30 June is 8 days away
    assert run(app, "2026-06-23") == 1
    [(to, mail)] = smtp.take()
    assert to == [C_MAIL] and mail["To"] == C_MAIL
    assert mail["Subject"] == (
        "Påmindelse: Ældre C mangler en handleplan (Trivselsmåling og APV 2026)"
    )
    body = mail.get_content()
    assert (
        "Ældre C har endnu ikke en handleplan i opfølgningsrunden «Trivselsmåling og APV 2026»."
        in body
    )
    assert "Deadline for handleplaner er 30. jun. 2026 (om 7 dage)." in body
    assert "Det skal I gøre:" in body and "knyttet til Ældre C" in body
    # The place, the round and the deadline only: no links, no names, no other places.
    assert "http" not in body and "/org/" not in body and "/plan/" not in body
    for other in ("Åse", "Pia", "Ulla", "Skole", "Dagtilbud", "Nord", "Testkommune"):
        assert other not in body, other


def test_a_place_with_a_plan_of_the_round_gets_none(app, org, round_id, plans, smtp):
    set_contacts(app, org, Skole_A="a@x.dk", Skole_B="b@x.dk", Syd="syd@x.dk")
    # Skole A (complete) and B (started) have plans; Syd is no arbejdsplads, so never reminded.
    assert run(app, "2026-06-23") == 0 and smtp.take() == []
    # A plan from 2023 does not count for this round: Dagtilbud D is reminded.
    set_contacts(app, org, Dagtilbud_D="d@x.dk")
    assert run(app, "2026-06-23") == 1
    assert smtp.take()[0][0] == ["d@x.dk"]


def test_a_second_run_sends_none_and_a_moved_deadline_is_new(app, contacts, round_id, smtp):
    assert run(app, "2026-06-23") == 1 and len(smtp.take()) == 1
    assert run(app, "2026-06-23") == 0 and run(app, "2026-06-27") == 0 and smtp.take() == []
    with app.app_context():
        db.get(Round, round_id).deadline = date(2026, 7, 3)
        db.commit()
    assert run(app, "2026-06-27") == 1
    assert "3. jul. 2026 (om 6 dage)" in smtp.take()[0][1].get_content()
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(RoundReminder)) == 2


def test_on_the_deadline_yes_after_it_none(app, contacts, smtp):
    assert run(app, "2026-07-01") == 0 and smtp.take() == []
    assert run(app, "2026-06-30") == 1
    assert "30. jun. 2026 (i dag)" in smtp.take()[0][1].get_content()


@pytest.mark.parametrize(
    ("utc", "sent"),
    [
        ((2026, 6, 22, 21, 59), 0),  # 23.59 on 22 June in Copenhagen: 8 days before
        ((2026, 6, 22, 23, 30), 1),  # 01.30 on 23 June in Copenhagen: 7 days before
    ],
)
def test_the_day_is_danish_at_night(app, contacts, smtp, monkeypatch, utc, sent):
    monkeypatch.delenv("FACILITATOR_TODAY", raising=False)
    monkeypatch.setattr(plan_rules, "utcnow", lambda: datetime(*utc, tzinfo=UTC))
    with app.app_context():
        assert reminders.send_due(days=7) == sent
        db.remove()
    mails = smtp.take()
    assert len(mails) == sent
    if sent:
        assert "30. jun. 2026 (om 7 dage)" in mails[0][1].get_content()


def test_a_place_without_contact_gets_none(app, org, round_id, plans, smtp):
    assert run(app, "2026-06-23") == 0 and smtp.take() == []
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(RoundReminder)) == 0


def test_a_refused_mail_is_tried_again(app, contacts, smtp):
    from tests.mail_server import free_port

    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    assert run(app, "2026-06-23") == 0
    app.config["SMTP_PORT"] = port
    assert run(app, "2026-06-24") == 1 and len(smtp.take()) == 1


def test_the_place_page_sets_the_contact_and_refuses_hostile_input(app, teacher, org):
    place = org["Ældre C"]
    page = f"/org/places/{place}"
    form = {"name": "Ældre C", "level": "Arbejdsplads", "parent_id": org["Nord"]}
    bad = post(teacher, page, {**form, "contact_email": "a@b.dk\r\nBcc: x@y.dk"}, page=page)
    html = teacher.get(bad.location).get_data(as_text=True)
    assert "«Kontaktperson (e-mail)» skal være én e-mailadresse" in html
    for hostile in ("a@b.dk, c@d.dk", "<a@b.dk>", "ikke en adresse"):
        post(teacher, page, {**form, "contact_email": hostile}, page=page)
    with app.app_context():
        assert db.get(Place, place).contact_email is None
    ok = post(teacher, page, {**form, "contact_email": " med@ærø.dk "}, page=page)
    assert "Stedet er gemt." in teacher.get(ok.location).get_data(as_text=True)
    assert 'value="med@ærø.dk"' in teacher.get(page).get_data(as_text=True)
    post(teacher, page, {**form, "contact_email": ""}, page=page)
    with app.app_context():
        assert db.get(Place, place).contact_email is None


def test_the_send_reminders_command_mails_the_places_too(app, contacts, smtp, monkeypatch, capsys):
    from facilitator import cli

    command_env(app, monkeypatch, "2026-06-25")
    assert cli.main(["send-reminders"]) == 0
    assert "1 påmindelser er sendt." in capsys.readouterr().out
    [(to, mail)] = smtp.take()
    assert to == [C_MAIL] and "(om 5 dage)" in mail.get_content()
