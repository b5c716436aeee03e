"""Re-entry with the personal code: long enough not to be guessed, throttled, easy to type."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select, update

from facilitator import workshops
from facilitator.db import db
from facilitator.models import Participant
from tests.conftest import csrf_token, join


def shown_code(phone, code: str) -> str:
    html = phone.get(f"/j/{code}").get_data(as_text=True)
    return re.search(r'data-testid="reentry-code">([\d ]+)<', html).group(1)


def fresh_addr() -> str:
    """A client address no other test used: the limits' windows live as long as the process."""
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def reenter(client, code: str, typed: str, addr: str | None = None):
    addr = addr or fresh_addr()
    data = {"reentry": typed, "csrf_token": csrf_token(client, f"/j/{code}")}
    return client.post(f"/j/{code}/igen", data=data, environ_base={"REMOTE_ADDR": addr})


def test_code_is_ten_digits_shown_in_two_groups_of_five(app, workshop):
    phone = join(app, workshop["code"], "Pia")
    shown = shown_code(phone, workshop["code"])
    assert re.fullmatch(r"\d{5} \d{5}", shown), shown
    with app.app_context():
        stored = db.scalar(select(Participant.reentry_code))
    assert stored == shown.replace(" ", "") and len(stored) == workshops.REENTRY_LENGTH


def test_code_is_accepted_with_spaces_dashes_or_neither(app, workshop):
    code = workshop["code"]
    shown = shown_code(join(app, code, "Pia"), code)
    digits = shown.replace(" ", "")
    for typed in (shown, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", f" {shown} "):
        other = app.test_client()
        assert reenter(other, code, typed).status_code == 302, typed
        assert "Pia" in other.get(f"/j/{code}").get_data(as_text=True)


def test_old_five_digit_codes_keep_working(app, workshop):
    code = workshop["code"]
    join(app, code, "Pia")
    with app.app_context():  # a participant who joined before the codes grew
        db.execute(update(Participant).values(reentry_code="23456"))
        db.commit()
    other = app.test_client()
    assert reenter(other, code, "234 56").status_code == 302
    assert "Pia" in other.get(f"/j/{code}").get_data(as_text=True)


def test_one_client_is_locked_out_with_a_danish_message(app, workshop):
    code = workshop["code"]
    shown = shown_code(join(app, code, "Pia"), code)
    guesser, addr = app.test_client(), fresh_addr()
    statuses = [reenter(guesser, code, f"{n:010d}", addr).status_code for n in range(12)]
    assert statuses[: workshops.REENTRY_PER_CLIENT] == [422] * workshops.REENTRY_PER_CLIENT
    assert set(statuses[workshops.REENTRY_PER_CLIENT :]) == {429}
    locked = reenter(guesser, code, shown, addr)  # even the right code waits: no oracle
    assert locked.status_code == 429
    assert "for mange koder" in locked.get_data(as_text=True)
    # Another client in the same workshop is not locked out by this one.
    assert reenter(app.test_client(), code, shown).status_code == 302


def test_many_addresses_share_one_budget_per_workshop(app, teacher, workshop):
    code = workshop["code"]
    join(app, code, "Pia")
    guesses = [
        reenter(app.test_client(), code, f"{n:010d}")
        for n in range(workshops.REENTRY_PER_WORKSHOP + 5)
    ]
    statuses = [r.status_code for r in guesses]
    assert statuses.count(422) == workshops.REENTRY_PER_WORKSHOP
    assert statuses[-5:] == [429] * 5


def test_short_guesses_have_their_own_tight_budget(app, workshop):
    code = workshop["code"]
    join(app, code, "Pia")
    statuses = [
        reenter(app.test_client(), code, f"{n:05d}").status_code
        for n in range(workshops.REENTRY_SHORT_PER_WORKSHOP + 3)
    ]
    assert statuses.count(422) == workshops.REENTRY_SHORT_PER_WORKSHOP
    assert statuses[-3:] == [429] * 3


def test_joins_are_throttled_per_client(app, workshop, monkeypatch):
    monkeypatch.setattr(workshops, "JOINS_PER_CLIENT", 5)  # a room's worth would be slow here
    code = workshop["code"]
    token = csrf_token(client := app.test_client(), f"/j/{code}")
    venue = {"REMOTE_ADDR": fresh_addr()}
    statuses = []
    for n in range(workshops.JOINS_PER_CLIENT + 1):
        data = {"name": f"P{n}", "csrf_token": token}
        statuses.append(client.post(f"/j/{code}", data=data, environ_base=venue))
        with client.session_transaction() as session:  # the next join is a new phone
            session.pop("phones", None)
    assert [r.status_code for r in statuses[:-1]] == [302] * workshops.JOINS_PER_CLIENT
    assert statuses[-1].status_code == 429
    assert "Vent et øjeblik" in statuses[-1].get_data(as_text=True)
    # A phone behind another address joins as usual.
    other = app.test_client()
    data = {"name": "Ny", "csrf_token": csrf_token(other, f"/j/{code}")}
    elsewhere = {"REMOTE_ADDR": fresh_addr()}
    assert other.post(f"/j/{code}", data=data, environ_base=elsewhere).status_code == 302
